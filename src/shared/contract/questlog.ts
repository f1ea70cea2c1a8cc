// Channels and push events of the questlog domain. Owned by the questlog work; see contract/index.ts.
export const questlogChannels = {};

export const questlogEvents = {};
