"""The activity tree of a SCORM 2004 organization with its sequencing definition (SN book, IMS SS):
frozen dataclasses, read once from the manifest by `manifest.parse_tree`. Defaults are the SN
book's defaults, so an item without `<imsss:sequencing>` behaves as the standard says.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Condition:
    """One `<ruleCondition>`: `condition` as IMS SS spells it (satisfied, completed, attempted...)."""
    condition: str
    objective: str | None = None  # referencedObjective; None means the primary objective
    negate: bool = False
    threshold: float = 0.0


@dataclass(frozen=True)
class Rule:
    """A pre-, exit- or post-condition rule: its conditions, `all` or `any`, and its action."""
    conditions: tuple[Condition, ...]
    combination: str = "all"
    action: str = ""


@dataclass(frozen=True)
class RollupRule:
    child_set: str = "all"  # all | any | none | atLeastCount | atLeastPercent
    minimum_count: int = 0
    minimum_percent: float = 0.0
    conditions: tuple[Condition, ...] = ()
    combination: str = "any"
    action: str = "satisfied"  # satisfied | notSatisfied | completed | incomplete


@dataclass(frozen=True)
class MapInfo:
    """How a local objective reads and writes a global (shared) objective."""
    target: str
    read_satisfied: bool = True
    read_measure: bool = True
    write_satisfied: bool = False
    write_measure: bool = False
    read_completion: bool = False
    write_completion: bool = False
    read_progress: bool = False
    write_progress: bool = False


@dataclass(frozen=True)
class DataMap:
    """One `<adlcp:map>` of an item's `<adlcp:data>` (SCORM 2004 4th edition shared data): the bucket its
    SCO sees as `adl.data.n`, and whether it may read and write it (CAM defaults: read yes, write no)."""
    target: str
    read: bool = True
    write: bool = False


@dataclass(frozen=True)
class Objective:
    id: str
    primary: bool = False
    satisfied_by_measure: bool = False
    min_measure: float = 1.0
    maps: tuple[MapInfo, ...] = ()


@dataclass(frozen=True)
class Sequencing:
    """The sequencing definition of one activity, SN defaults where the manifest says nothing."""
    choice: bool = True
    choice_exit: bool = True
    flow: bool = False
    forward_only: bool = False
    use_current_attempt_objective_info: bool = True
    use_current_attempt_progress_info: bool = True
    pre_rules: tuple[Rule, ...] = ()
    exit_rules: tuple[Rule, ...] = ()
    post_rules: tuple[Rule, ...] = ()
    attempt_limit: int | None = None
    rollup_rules: tuple[RollupRule, ...] = ()
    rollup_satisfied: bool = True
    rollup_completion: bool = True
    measure_weight: float = 1.0
    objectives: tuple[Objective, ...] = ()
    select_count: int | None = None
    selection_timing: str = "never"
    reorder_children: bool = False
    randomization_timing: str = "never"
    tracked: bool = True
    completion_set_by_content: bool = False
    objective_set_by_content: bool = False
    constrain_choice: bool = False
    prevent_activation: bool = False
    required_for_satisfied: str = "always"
    required_for_not_satisfied: str = "always"
    required_for_completed: str = "always"
    required_for_incomplete: str = "always"
    measure_satisfaction_if_active: bool = True
    completed_by_measure: bool = False
    min_progress_measure: float = 1.0
    progress_weight: float = 1.0

    def primary(self) -> Objective:
        return next((o for o in self.objectives if o.primary), _PRIMARY)


_PRIMARY = Objective(id="", primary=True)


@dataclass(frozen=True, eq=False)
class Activity:
    """An `<item>` (or the organization itself, the root): `id` is the item's identifier,
    `resource_href` the launched file with its parameters (None for a cluster), `hide_lms_ui` the
    player controls `adlnav:presentation` asks to hide while it runs (e.g. "continue", "suspendAll").
    Compared by identity: one tree holds each activity once."""
    id: str
    title: str
    resource_href: str | None = None
    children: tuple[Activity, ...] = ()
    sequencing: Sequencing = field(default_factory=Sequencing)
    visible: bool = True
    hide_lms_ui: tuple[str, ...] = ()
    data_maps: tuple[DataMap, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def hidden_from_choice_static(self) -> bool:
        """Hidden from the table of contents whatever the state (`isvisible="false"`)."""
        return not self.visible


@dataclass(frozen=True)
class ActivityTree:
    root: Activity
    _index: dict[str, Activity] = field(default_factory=dict, compare=False, repr=False)
    _parents: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _positions: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    _stoppers: list[Activity] = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self) -> None:
        def walk(node: Activity, parent: Activity | None) -> None:
            self._positions[node.id] = len(self._index)
            self._index[node.id] = node
            if parent is not None:
                self._parents[node.id] = parent.id
            for kid in node.children:
                walk(kid, node)
        walk(self.root, None)
        self._stoppers.extend(a for a in self._index.values()
                              if any(r.action == "stopForwardTraversal" for r in a.sequencing.pre_rules))

    def find(self, activity_id: str) -> Activity:
        """The activity with this id; KeyError when the tree has none."""
        return self._index[activity_id]

    def has(self, activity_id: str) -> bool:
        return activity_id in self._index

    def parent(self, activity: Activity) -> Activity | None:
        parent_id = self._parents.get(activity.id)
        return None if parent_id is None else self._index[parent_id]

    def ancestors(self, activity: Activity) -> list[Activity]:
        """The activity and its ancestors up to the root, nearest first."""
        found = [activity]
        while (up := self.parent(found[-1])) is not None:
            found.append(up)
        return found

    def position(self, activity: Activity) -> int:
        """The activity's place in document (preorder) order, the root at 0."""
        return self._positions[activity.id]

    def ordered(self) -> list[Activity]:
        """Every activity in document (preorder) order, the root first."""
        return list(self._index.values())

    def stoppers(self) -> list[Activity]:
        """The activities with a stopForwardTraversal pre-condition rule (few or none)."""
        return list(self._stoppers)

    def leaves(self) -> list[Activity]:
        return [a for a in self._index.values() if a.is_leaf]
