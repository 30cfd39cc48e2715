import {
  addApiAppResponseSchema,
  addApiAppSchema,
  addAppKeyResponseSchema,
  addAppKeySchema,
  detailsResponseSchema,
  getAppKeyResponseSchema,
  getAppResponseSchema,
  listAppKeysResponseSchema,
  listAppKeysSchema,
  listAppsResponseSchema,
  listAppsSchema,
  regenerateApiClientSecretResponseSchema,
  regenerateApiClientSecretSchema,
} from '@tessera/contracts';
import { addAppKey, getAppKey, listAppKeys, removeAppKey } from '../domain/apps/app-keys.js';
import { addApiApp, getApp, listApps, regenerateApiClientSecret, removeApp } from '../domain/apps/apps.js';
import { endpoint, type Endpoint } from './endpoint.js';

/** A project's API applications: the credentials a backend API introspects tokens with. */
export const appEndpoints: Endpoint[] = [
  endpoint({
    method: 'post',
    path: '/projects/:projectId/apps/api',
    summary: 'AddAPIApp',
    permission: 'project.app.write',
    body: addApiAppSchema,
    response: addApiAppResponseSchema,
    handler: async ({ ctx, orgId, principal, params, body }) => {
      await ctx.instanceKeys.fresh(); // hashed with the key that is current now, wherever it was rotated
      return addApiApp(ctx.storage, ctx.secretKey, orgId, params.projectId!, principal.userId, body);
    },
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/apps/_search',
    summary: 'ListApps',
    permission: 'project.app.read',
    body: listAppsSchema,
    response: listAppsResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listApps(ctx.storage, orgId, params.projectId!, body),
  }),
  endpoint({
    method: 'get',
    path: '/projects/:projectId/apps/:appId',
    summary: 'GetAppByID',
    permission: 'project.app.read',
    response: getAppResponseSchema,
    handler: async ({ ctx, orgId, params }) => ({ app: await getApp(ctx.storage, orgId, params.projectId!, params.appId!) }),
  }),
  endpoint({
    method: 'delete',
    path: '/projects/:projectId/apps/:appId',
    summary: 'RemoveApp',
    permission: 'project.app.delete',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await removeApp(ctx.storage, orgId, params.projectId!, params.appId!, principal.userId),
    }),
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/apps/:appId/api_config/_generate_client_secret',
    summary: 'RegenerateAPIClientSecret',
    permission: 'project.app.write',
    body: regenerateApiClientSecretSchema,
    response: regenerateApiClientSecretResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => {
      await ctx.instanceKeys.fresh();
      return regenerateApiClientSecret(ctx.storage, ctx.secretKey, orgId, params.projectId!, params.appId!, principal.userId);
    },
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/apps/:appId/keys',
    summary: 'AddAppKey',
    permission: 'project.app.write',
    body: addAppKeySchema,
    response: addAppKeyResponseSchema,
    handler: ({ ctx, orgId, principal, params, body }) => addAppKey(ctx.storage, orgId, params.projectId!, params.appId!, principal.userId, body),
  }),
  endpoint({
    method: 'post',
    path: '/projects/:projectId/apps/:appId/keys/_search',
    summary: 'ListAppKeys',
    permission: 'project.app.read',
    body: listAppKeysSchema,
    response: listAppKeysResponseSchema,
    handler: ({ ctx, orgId, params, body }) => listAppKeys(ctx.storage, orgId, params.projectId!, params.appId!, body),
  }),
  endpoint({
    method: 'get',
    path: '/projects/:projectId/apps/:appId/keys/:keyId',
    summary: 'GetAppKey',
    permission: 'project.app.read',
    response: getAppKeyResponseSchema,
    handler: async ({ ctx, orgId, params }) => ({ key: await getAppKey(ctx.storage, orgId, params.projectId!, params.appId!, params.keyId!) }),
  }),
  endpoint({
    method: 'delete',
    path: '/projects/:projectId/apps/:appId/keys/:keyId',
    summary: 'RemoveAppKey',
    permission: 'project.app.write',
    response: detailsResponseSchema,
    handler: async ({ ctx, orgId, principal, params }) => ({
      details: await removeAppKey(ctx.storage, orgId, params.projectId!, params.appId!, params.keyId!, principal.userId),
    }),
  }),
];
