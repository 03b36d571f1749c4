/** The only region of CloudFront certificates, CLOUDFRONT-scope web ACLs and CloudFront log delivery sources: the edge's region. */
export const EDGE_REGION = 'us-east-1';
