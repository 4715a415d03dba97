import { attributionService } from '@pcn/attribution';
import { registryService } from '@pcn/registry';
import { staffService } from '@pcn/staff';
import { serviceNames, startOrder, type AnyServiceDefinition, type RunningServices } from '@pcn/service';

/**
 * Every service of the network, declared once in its own package. The binary's targets, the
 * configuration it reads and the order it starts the services in derive from this list: a new
 * service is added here and nowhere else in the backbone.
 */
export const SERVICES = [registryService, staffService, attributionService] as const;

export const SERVICE_NAMES = serviceNames(SERVICES);
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Each service after those whose topics it consumes: staff learns centres from the registry, attribution centres and GPs from both. */
export const START_ORDER: readonly AnyServiceDefinition[] = startOrder<AnyServiceDefinition>(SERVICES);

/** The services running in a process, by name. */
export type ServiceModules = RunningServices<typeof SERVICES>;
