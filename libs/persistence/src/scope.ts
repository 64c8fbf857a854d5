/**
 * What part of the data a caller may reach. Applied inside the queries (never only in controllers),
 * so no id, filter or list can step outside it.
 */
export type AccessScope =
  | { kind: 'all' }
  /** Officers and supervisors: detainers issued by their AOR or lodged at a facility in it. */
  | { kind: 'area'; areaId: string }
  /** Jail staff and agency systems: detainers lodged with their agency, and only their part of the history. */
  | { kind: 'agency'; agencyId: string }
  | { kind: 'none' };

/** Collects positional parameters for hand-written SQL. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** SQL condition restricting detainer alias `d` to the scope. */
export function detainerVisibleIn(scope: AccessScope, params: Params, d = 'd'): string {
  switch (scope.kind) {
    case 'all':
      return 'TRUE';
    case 'area': {
      const p = params.add(scope.areaId);
      return `(${d}.area_id = ${p} OR EXISTS (SELECT 1 FROM lodgings sl WHERE sl.detainer_id = ${d}.id AND sl.area_id = ${p}))`;
    }
    case 'agency':
      return `EXISTS (SELECT 1 FROM lodgings sl WHERE sl.detainer_id = ${d}.id AND sl.agency_id = ${params.add(scope.agencyId)})`;
    case 'none':
      return 'FALSE';
    default: {
      const never: never = scope;
      return never;
    }
  }
}

/** SQL condition restricting lodging alias `l` (and so events) to the part of the history the scope may read. */
export function lodgingVisibleIn(scope: AccessScope, params: Params, l = 'l'): string {
  return scope.kind === 'agency' ? `${l}.agency_id = ${params.add(scope.agencyId)}` : 'TRUE';
}
