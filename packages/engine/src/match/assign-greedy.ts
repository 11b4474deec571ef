/**
 * Best-first exclusive assignment over scored candidate pairs held in typed arrays (no per-pair objects).
 * Candidates are visited by score descending, then the smaller and the larger id of the pair, so the result is
 * deterministic and mirrors when the sides are swapped;
 * a pair is accepted when neither record is already taken.
 */

/** Candidate pairs as parallel columns: ids are record (or group) ids, scores in [0, 1]. */
export interface CandidateColumns {
  left: Float64Array;
  right: Float64Array;
  score: Float64Array;
}

/** One accepted pair: index into the candidate columns and its best available alternative (-1 when none). */
export interface AcceptedPair {
  index: number;
  runnerUp: number;
}

function sortOrder(c: CandidateColumns): Uint32Array {
  const order = new Uint32Array(c.score.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  order.sort((x, y) => {
    const ds = (c.score[y] ?? 0) - (c.score[x] ?? 0);
    if (ds !== 0) return ds;
    // Side-symmetric tie-break (smaller id of the pair, then larger): swapping the inputs mirrors the result.
    const lx = c.left[x] ?? 0;
    const rx = c.right[x] ?? 0;
    const ly = c.left[y] ?? 0;
    const ry = c.right[y] ?? 0;
    const dmin = Math.min(lx, rx) - Math.min(ly, ry);
    if (dmin !== 0) return dmin;
    const dmax = Math.max(lx, rx) - Math.max(ly, ry);
    return dmax !== 0 ? dmax : lx - ly;
  });
  return order;
}

function adjacency(ids: Float64Array): Map<number, number[]> {
  const map = new Map<number, number[]>();
  ids.forEach((id, index) => {
    const list = map.get(id);
    if (list) list.push(index);
    else map.set(id, [index]);
  });
  return map;
}

/**
 * Greedy best-first assignment. The runner-up of an accepted pair is the best other candidate sharing its
 * left or right record whose other record was still free when the pair was accepted: the alternative a
 * reviewer would have had to choose between.
 */
export function assignGreedy(c: CandidateColumns): AcceptedPair[] {
  const order = sortOrder(c);
  const rank = new Uint32Array(c.score.length); // visit position of each candidate
  order.forEach((candidate, position) => (rank[candidate] = position));
  const takenLeft = new Map<number, number>(); // record id → visit position of the accepting pair
  const takenRight = new Map<number, number>();
  const accepted: number[] = [];
  for (const index of order) {
    const l = c.left[index] ?? 0;
    const r = c.right[index] ?? 0;
    if (takenLeft.has(l) || takenRight.has(r)) continue;
    const position = rank[index] ?? 0;
    takenLeft.set(l, position);
    takenRight.set(r, position);
    accepted.push(index);
  }
  const byLeft = adjacency(c.left);
  const byRight = adjacency(c.right);
  const freeAt = (taken: Map<number, number>, id: number, position: number) => {
    const at = taken.get(id);
    return at === undefined || at >= position;
  };
  return accepted.map((index) => {
    const position = rank[index] ?? 0;
    let best = -1;
    const consider = (other: number) => {
      if (other === index) return;
      if (best === -1 || (rank[other] ?? 0) < (rank[best] ?? 0)) best = other;
    };
    for (const other of byLeft.get(c.left[index] ?? 0) ?? []) {
      if (freeAt(takenRight, c.right[other] ?? 0, position)) consider(other);
    }
    for (const other of byRight.get(c.right[index] ?? 0) ?? []) {
      if (freeAt(takenLeft, c.left[other] ?? 0, position)) consider(other);
    }
    return { index, runnerUp: best };
  });
}
