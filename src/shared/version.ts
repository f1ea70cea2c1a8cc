import { version as pkgVersion, productName } from '../../package.json';

export const APP_VERSION: string = pkgVersion;
export const APP_NAME: string = productName;
