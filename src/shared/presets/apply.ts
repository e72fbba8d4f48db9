/** A provider preset filled with the user's values: the profile settings it gives, or the placeholders still missing. */
import type { ClientAuthMethod, ManualEndpoints } from '../profile.ts';
import { PROVIDER_PRESETS, type ProviderPreset } from './providers.ts';

/** The part of a profile's settings a preset decides. */
export interface PresetSettings {
  readonly issuer: string;
  readonly discovery: boolean;
  readonly endpoints?: ManualEndpoints;
  readonly scope: string;
  readonly authorizationParams: Readonly<Record<string, string>>;
  readonly authMethod: ClientAuthMethod;
}

export interface AppliedPreset {
  readonly preset: ProviderPreset;
  readonly settings: PresetSettings;
  /** Required placeholders without a value, by label ("Tenant domain (e.g. acme.eu.auth0.com)"); empty when complete. */
  readonly missing: readonly string[];
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** A preset by id or name, case-insensitive ("entra", "Microsoft Entra ID"); undefined when none is. */
export function findPreset(nameOrId: string): ProviderPreset | undefined {
  const wanted = nameOrId.trim().toLowerCase();
  return PROVIDER_PRESETS.find((p) => p.id === wanted || p.name.toLowerCase() === wanted);
}

/**
 * Fills a preset's patterns with `values` (by placeholder key). A required placeholder left empty is named in
 * `missing` (its `{key}` stays in the text); a parameter or scope word that names an empty optional one is left out.
 */
export function applyPreset(preset: ProviderPreset, values: Readonly<Record<string, string>>): AppliedPreset {
  // A trailing slash of a value inside the issuer (a server URL) would double the path's slash.
  const inIssuer = new Set([...preset.issuer.matchAll(PLACEHOLDER)].map((m) => m[1]));
  const given = (key: string): string | undefined => {
    const trimmed = values[key]?.trim();
    const value = inIssuer.has(key) ? trimmed?.replace(/\/+$/, '') : trimmed;
    return value ? value : undefined;
  };
  const missing = preset.placeholders
    .filter((p) => p.optional !== true && given(p.key) === undefined)
    .map((p) => `${p.label} (e.g. ${p.example})`);
  const fill = (text: string): string => text.replace(PLACEHOLDER, (whole, key: string) => given(key) ?? whole);
  const unfilledOptional = (text: string): boolean =>
    [...text.matchAll(PLACEHOLDER)].some(
      ([, key]) => preset.placeholders.some((p) => p.key === key && p.optional) && !given(key ?? ''),
    );
  const scope = preset.scope
    .split(' ')
    .filter((word) => !unfilledOptional(word))
    .map(fill)
    .join(' ');
  const authorizationParams = Object.fromEntries(
    Object.entries(preset.authorizationParams)
      .filter(([, value]) => !unfilledOptional(value))
      .map(([key, value]) => [key, fill(value)]),
  );
  return {
    preset,
    missing,
    settings: {
      issuer: fill(preset.issuer),
      discovery: preset.discovery,
      ...(preset.endpoints ? { endpoints: { ...preset.endpoints } } : {}),
      scope,
      authorizationParams,
      authMethod: preset.authMethod,
    },
  };
}
