// electron-builder afterPack hook: flips Electron's fuses in the packaged binary before it is signed.
// Off: RunAsNode (ELECTRON_RUN_AS_NODE), NODE_OPTIONS, --inspect* arguments, file:// extra privileges.
// On: cookie encryption, load the app only from app.asar, embedded asar integrity validation.
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * The fuse wire for a target platform. Electron enforces embedded asar integrity on macOS and Windows
 * (electron-builder embeds the hash there); Linux builds ignore that fuse, it is set on for all alike.
 */
export function fuseConfig(platform, arch) {
  return {
    version: FuseVersion.V1,
    // Flipping fuses invalidates the ad-hoc signature of an unsigned arm64 macOS build; re-sign it ad hoc.
    resetAdHocDarwinSignature: platform === 'darwin' && arch === 'arm64',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** Path of the packaged Electron executable (the .app bundle on macOS). */
export function packagedElectronPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${product}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`);
  return join(appOutDir, packager.executableName);
}

const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

export async function applyFuses(context, flip = flipFuses) {
  const arch = typeof context.arch === 'number' ? ARCH_NAMES[context.arch] : context.arch;
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const target = packagedElectronPath(context);
  await flip(target, fuseConfig(platform, arch));
  return target;
}

export default async function afterPack(context) {
  await applyFuses(context);
}
