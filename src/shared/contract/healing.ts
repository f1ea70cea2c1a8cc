// Channels and push events of the healing domain. Owned by the healing work; see contract/index.ts.
export const healingChannels = {};

export const healingEvents = {};
