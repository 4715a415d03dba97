import { InMemoryEventStore } from './in-memory-event-store';
import { eventStoreContract } from '../testing/event-store-contract';

describe('InMemoryEventStore', () => {
  eventStoreContract({ create: async () => new InMemoryEventStore(5) });
});
