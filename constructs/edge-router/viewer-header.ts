/**
 * The request header in which the edge router names the viewer's IP address (CloudFront Functions
 * give header names in lower case). The router overwrites whatever a viewer sent under this name,
 * so behind the edge it holds the real viewer; on a direct call to a realm host anyone can set it,
 * which is why the realm's WAF also limits every source IP.
 */
export const EDGE_VIEWER_HEADER = 'x-residency-viewer-ip';
