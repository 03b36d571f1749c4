// Lambda entry of the app: lifecycle hooks and the notes API, behind API Gateway authorizers.
import { handle } from 'hono/aws-lambda';
import { createApp, gatewayAuthentication } from '../../../runtime/app';
import { tenantStoreFromEnvironment } from './tenant-store';

const { store, settings } = tenantStoreFromEnvironment();

/** API Gateway REST proxy handler. */
export const handler = handle(createApp({ appKey: settings.appKey, store, authenticate: gatewayAuthentication() }));
