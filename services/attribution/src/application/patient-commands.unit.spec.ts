import { InMemoryEventStore } from '@pcn/eventsourcing';
import { TestClock } from '@pcn/eventsourcing/testing';
import type { PatientProfile } from '../domain/patient/patient-profile';
import { PanelBook } from './panel-book';
import { PatientCommands } from './patient-commands';

const profile: PatientProfile = { birthDate: '1950-06-01', sex: 'female', communeInsee: '75111', ald: [], c2s: [] };

describe('patient commands', () => {
  it('report each command to the service’s observer (pcn_command_duration_seconds), refusals included', async () => {
    const seen: { command: string; outcome: string }[] = [];
    const store = new InMemoryEventStore();
    const commands = new PatientCommands(store, new PanelBook(store), {
      clock: new TestClock(),
      onCommand: ({ command, outcome }) => seen.push({ command, outcome }),
    });
    await commands.handle({ type: 'RegisterPatient', patientId: 'p1', profile });
    await expect(commands.handle({ type: 'RegisterPatient', patientId: 'p1', profile })).rejects.toThrow('already exists');
    await expect(commands.handle({ type: 'EndAttribution', patientId: 'p1', endDate: '2026-03-01', reason: 'moved_away' })).rejects.toThrow(
      'no médecin traitant',
    );
    expect(seen).toEqual([
      { command: 'RegisterPatient', outcome: 'ok' },
      { command: 'RegisterPatient', outcome: 'refused' },
      { command: 'EndAttribution', outcome: 'refused' },
    ]);
  });

  it('names the events of a named command by the one scheme, so that a repeat writes nothing', async () => {
    const store = new InMemoryEventStore();
    const commands = new PatientCommands(store, new PanelBook(store), { clock: new TestClock() });
    const first = await commands.handle({ type: 'RegisterPatient', patientId: 'p2', profile }, { idempotencyName: 'import:p2' });
    const again = await commands.handle({ type: 'RegisterPatient', patientId: 'p2', profile }, { idempotencyName: 'import:p2' });
    expect(again.replayed).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(await store.readStream('patient-p2')).toHaveLength(1);
  });
});
