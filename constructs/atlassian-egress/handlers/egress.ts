// Lambda entry of a realm's Atlassian egress function: the one way calls to the tenant's
// Atlassian site leave the realm. No options: a deployment reaches only the public Atlassian
// API hosts on port 443 with the system's CAs (a test network is for tests, never from here).
import { egressHandler } from '../../../runtime/atlassian-api/egress-handler';

/** Lambda handler: an egress request in, the product's answer (or why there is none) out. */
export const handler = egressHandler();
