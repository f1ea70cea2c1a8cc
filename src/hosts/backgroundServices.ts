import type { ServiceFactory } from '../services/core/module';
import { createSystemModule } from '../services/system/module';
import { createQuestlogModule } from '../services/questlog/module';
import { createMonitorModule } from '../services/monitor/module';
import { createFleetModule } from '../services/fleet/module';
import { createHealingModule } from '../services/healing/module';
import { createAssistantModule } from '../services/assistant/module';
import { createInstallModule } from '../services/install/module';

/**
 * The services the background host runs, in start order. The Quest Log comes first so that the
 * others get its event recorder (ctx.events). Each domain adds one line here.
 */
export const backgroundServices: Array<[string, ServiceFactory]> = [
  ['questlog', createQuestlogModule],
  ['monitor', createMonitorModule],
  ['healing', createHealingModule],
  ['assistant', createAssistantModule],
  ['system', createSystemModule],
  ['fleet', createFleetModule],
  ['install', createInstallModule],
];
