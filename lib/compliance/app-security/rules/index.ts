export * from './apigw-domain-tls12';
export * from './apigw-method-authorization';
export * from './cloudfront-hsts';
export * from './cloudfront-security-headers';
export * from './cloudfront-tls12';
export * from './store-cmk';
