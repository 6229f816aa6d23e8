/**
 * Turns the configuration's node groups into the node table's `detectorFor` choice: the first
 * group a node matches that names a detector gives it; a node in no such group gets the default.
 */
import type { NodeGroup } from '../config/types.js';
import type { DetectorSpec } from '../detectors/spec.js';

/** Whether a node with this id and these tags belongs to `group`. */
export function matchesGroup(group: NodeGroup, nodeId: string, tags: readonly string[]): boolean {
  if (group.idPrefix !== undefined && !nodeId.startsWith(group.idPrefix)) return false;
  return (group.tags ?? []).every((t) => tags.includes(t));
}

/** `detectorFor` for NodeTable: the first matching group's detector, else undefined. */
export function detectorForGroups(
  groups: readonly NodeGroup[],
): (nodeId: string, tags: readonly string[]) => DetectorSpec | undefined {
  const withDetector = groups.filter((g) => g.detector !== undefined);
  return (nodeId, tags) => withDetector.find((g) => matchesGroup(g, nodeId, tags))?.detector;
}
