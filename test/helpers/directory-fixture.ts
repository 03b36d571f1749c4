/** The tenant directory as the directory tests deploy it: the writer, its KeyValueStore, the directory key and the realms. */
export const WRITER = 'arn:aws:lambda:us-east-1:123456789012:function:Demo-tenant-directory';
export const KVS_ARN = 'arn:aws:cloudfront::123456789012:key-value-store/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
/** A directory key (the pseudonymisation key the relays hash tenant ids with). */
export const KEY = 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug';
export const REALMS = ['Global', 'EU', 'US', 'AU', 'DE'];
