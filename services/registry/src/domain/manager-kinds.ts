import type { ManagerKind } from './centre';

/**
 * Only non-profit bodies may manage a centre of the network. The for-profit kinds exist so a
 * refusal can say exactly why, instead of rejecting an unknown value.
 */
const NON_PROFIT: Readonly<Record<ManagerKind, boolean>> = {
  commune: true,
  epci: true,
  departement: true,
  region: true,
  public_hospital: true,
  university: true,
  gip: true,
  association: true,
  mutuelle: true,
  foundation: true,
  scic: true,
  commercial_company: false,
  for_profit_clinic: false,
};

export function isNonProfit(kind: ManagerKind): boolean {
  return NON_PROFIT[kind];
}

export function forProfitReason(kind: ManagerKind): string {
  return `manager kind "${kind}" is a for-profit body: only non-profit managers (local authorities, public hospitals, universities, GIP, associations, mutuelles, foundations, SCIC) may join the network`;
}
