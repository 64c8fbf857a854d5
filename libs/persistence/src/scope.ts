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
    // A detainer's reach is on its row (its AOR, its current facility's AOR and agency, and those of
    // earlier lodgings, kept by triggers): the same test row-level security makes, with no look-up.
    case 'area': {
      const p = params.add(scope.areaId);
      return `(${d}.area_id = ${p} OR ${d}.current_area_id = ${p} OR ${p} = ANY (${d}.former_area_ids))`;
    }
    case 'agency': {
      const p = params.add(scope.agencyId);
      return `(${d}.agency_id = ${p} OR ${p} = ANY (${d}.former_agency_ids))`;
    }
    case 'none':
      return 'FALSE';
    default: {
      const never: never = scope;
      return never;
    }
  }
}

/**
 * The scope's condition on detainer alias `d` split into its alternatives (OR), each of which an index
 * answers on its own (the AOR, the current facility's AOR, a former one; the agency, a former one), so
 * that a keyset-paged list can scan each in order and merge, instead of an OR no index can order.
 */
export function detainerReachArms(scope: AccessScope, params: Params, d = 'd'): ReachArm[] {
  const former = (kind: 'area' | 'agency', p: string): ReachArm => {
    const keysFirst = { from: 'detainer_former_reach r', join: `JOIN detainers ${d} ON ${d}.id = r.detainer_id` };
    return { from: `${keysFirst.from} ${keysFirst.join}`, where: `r.kind = '${kind}' AND r.unit_id = ${p}`, order: 'r', keysFirst };
  };
  switch (scope.kind) {
    case 'area': {
      const p = params.add(scope.areaId);
      return [{ from: `detainers ${d}`, where: `${d}.area_id = ${p}`, order: d }, { from: `detainers ${d}`, where: `${d}.current_area_id = ${p}`, order: d }, former('area', p)];
    }
    case 'agency': {
      const p = params.add(scope.agencyId);
      return [{ from: `detainers ${d}`, where: `${d}.agency_id = ${p}`, order: d }, former('agency', p)];
    }
    default:
      return [{ from: `detainers ${d}`, where: detainerVisibleIn(scope, params, d), order: d }];
  }
}

/** One alternative of a scope: the rows it starts from, its condition, and the alias whose (issued_at, id) orders it. */
export interface ReachArm {
  from: string;
  where: string;
  /** `d`: detainers (issued_at, id); `r`: detainer_former_reach (issued_at, detainer_id). */
  order: string;
  /**
   * The arm read as its own page of keys first, then joined to the detainers: for a page with no
   * condition on the detainer. Every detainer it names is in the scope's reach by construction (the
   * trigger that keeps the former reach keeps the former ids the detainers policy reads), so limiting
   * the keys first loses no row.
   */
  keysFirst?: { from: string; join: string };
}

/** SQL condition restricting lodging alias `l` (and so events) to the part of the history the scope may read. */
export function lodgingVisibleIn(scope: AccessScope, params: Params, l = 'l'): string {
  return scope.kind === 'agency' ? `${l}.agency_id = ${params.add(scope.agencyId)}` : 'TRUE';
}
