/**
 * Thin typed adapters over the contract client for the screens: argument shapes in one place, and the
 * small reshaping a screen wants (the revealed value as a string). Every call is a typed `api` method.
 */
import type { ExportRequest, ImportRequest, SaveTokenRequest } from '../../shared/model.ts';
import type { ProfileInput } from '../../shared/profile.ts';
import type { ExchangeQuery } from '../../shared/oauth.ts';
import type { Result } from '../../shared/result.ts';
import { api } from './api-client.ts';

export const backend = {
  getToken: (id: string) => api.getToken(id),
  revealToken: async (id: string): Promise<Result<string>> => {
    const r = await api.revealToken(id);
    return r.ok ? { ok: true, value: r.value.value } : r;
  },
  getGrant: (id: string) => api.getGrant(id),
  saveToken: (req: SaveTokenRequest) => api.saveToken(req),
  deleteToken: (id: string) => api.deleteToken(id),
  exportTokens: (req: ExportRequest) => api.exportTokens(req),
  importTokens: (req: ImportRequest) => api.importTokens(req),
  storageStatus: () => api.storageStatus(),
  wipeHistory: () => api.wipeHistory(),
  listProfiles: () => api.listProfiles(),
  saveProfile: (p: ProfileInput) => api.saveProfile(p),
  discover: (issuer: string) => api.discover({ issuer }),
  startLogin: (profileId: string) => api.startLogin({ profileId }),
  cancelFlow: (flowId: string) => api.cancelFlow({ flowId }),
  flowStatus: (flowId: string) => api.getFlow({ flowId }),
  startDeviceFlow: (profileId: string) => api.startDeviceFlow({ profileId }),
  clientCredentials: (profileId: string) => api.clientCredentials({ profileId }),
  refresh: (tokenId: string) => api.refreshToken({ tokenId }),
  revoke: (tokenId: string) => api.revokeToken({ tokenId }),
  introspect: (tokenId: string) => api.introspectToken({ tokenId }),
  userinfo: (tokenId: string) => api.userinfo({ tokenId }),
  listExchanges: (q: ExchangeQuery) => api.listExchanges(q),
  listLoggedGrants: (q: { readonly limit?: number }) => api.listLoggedGrants(q),
  demoIssuer: () => api.ensureDemoIssuer(),
};
