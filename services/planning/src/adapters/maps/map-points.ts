import type { AccessibilityClass } from '../../domain/accessibility';

/** A commune to draw or export: where it is, how many live there, how accessible care is. */
export interface CommunePoint {
  readonly code: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly population: number;
  readonly accessibility: number;
  readonly class: AccessibilityClass;
}

/** A supply point to mark: a centre of the network. */
export interface CentrePoint {
  readonly finess: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly gpFte: number;
}
