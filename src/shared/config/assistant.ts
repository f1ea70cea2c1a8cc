import { z } from 'zod';

// The [assistant] section of the configuration. Every field has a default, so an empty file is valid.
export const assistantConfig = z.object({});
