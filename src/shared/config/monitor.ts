import { z } from 'zod';

// The [monitor] section of the configuration. Every field has a default, so an empty file is valid.
export const monitorConfig = z.object({});
