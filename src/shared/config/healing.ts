import { z } from 'zod';

// The [healing] section of the configuration. Every field has a default, so an empty file is valid.
export const healingConfig = z.object({});
