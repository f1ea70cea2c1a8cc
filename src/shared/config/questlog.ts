import { z } from 'zod';

// The [questlog] section of the configuration. Every field has a default, so an empty file is valid.
export const questlogConfig = z.object({});
