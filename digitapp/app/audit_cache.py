"""Results per model, so that going back to a model shows its audit and maps at once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from .audit import Audit
from .maps import LayerMap, MapRequest

MODELS_KEPT = 4  # an audit is about 9 MB (the images are shared): a few models is cheap


class AuditCache:
    """The Audit and the LayerMaps of the last few models, the least recently used dropped."""

    def __init__(self, models: int = MODELS_KEPT) -> None:
        self.models = models
        self._entries: OrderedDict[Hashable, tuple[Audit, dict[MapRequest, LayerMap]]] = (
            OrderedDict())

    def audit(self, key: Hashable) -> Audit | None:
        entry = self._touch(key)
        return entry[0] if entry else None

    def put_audit(self, key: Hashable, audit: Audit) -> None:
        self._entries[key] = (audit, {})
        self._entries.move_to_end(key)
        while len(self._entries) > self.models:
            self._entries.popitem(last=False)

    def map(self, key: Hashable, request: MapRequest) -> LayerMap | None:
        entry = self._touch(key)
        return entry[1].get(request) if entry else None

    def put_map(self, key: Hashable, layer_map: LayerMap) -> None:
        """Keep a map of a model whose audit is kept (else there is nothing to show it with)."""
        entry = self._touch(key)
        if entry is not None:
            entry[1][layer_map.request] = layer_map

    def _touch(self, key: Hashable):
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry
