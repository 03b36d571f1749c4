/**
 * The paths of the global host that the edge serves from its own content origin (S3), never
 * from a realm: the Connect descriptor and the vendor's static assets (`<prefix>*`). The
 * router leaves them alone and their behaviors run no router.
 */
export const EDGE_CONTENT_PATHS = {
  /** Where Atlassian fetches the Connect descriptor. */
  descriptor: '/atlassian-connect.json',
  /** The prefix of the static assets of the vendor's Connect iframes (`app.staticDir`). */
  staticPrefix: '/static/',
} as const;
