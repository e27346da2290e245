import { browserPlatform } from './browserPlatform';
import { electronPlatform } from './electronPlatform';
import type { Platform } from './platform';

/**
 * The desktop API when the preload script exposed it, otherwise the browser implementation. Kept apart from
 * platform.ts (the interface both implement) so that neither implementation imports the file that imports it.
 */
export const choosePlatform = (): Platform => (window.api ? electronPlatform(window.api) : browserPlatform());
