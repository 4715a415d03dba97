/**
 * Patients per full-time GP: one national figure and, where a centre type warrants it, its own
 * (a community centre with a heavier social load may take fewer). Configuration, not law.
 */
export interface PanelNorms {
  readonly national: number;
  readonly byCentreType: Readonly<Record<string, number>>;
}

export interface CapacityShare {
  readonly fte: number;
  readonly centreType: string;
}

/**
 * A GP's capacity: a coordinator's figure when set, else Σ FTE × norm of each centre the GP is
 * assigned to on the day, rounded down (a panel slot is a whole patient).
 */
export function panelCapacity(norms: PanelNorms, shares: readonly CapacityShare[], override?: number): number {
  if (override !== undefined) return override;
  const total = shares.reduce((sum, s) => sum + s.fte * (norms.byCentreType[s.centreType] ?? norms.national), 0);
  // FTE has four decimals; the epsilon keeps 0.3 × 1000 from becoming 299.
  return Math.floor(total + 1e-9);
}
