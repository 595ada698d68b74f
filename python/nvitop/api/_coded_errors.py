# SPDX-License-Identifier: Apache-2.0
"""The error-class families of the three facades (libnvml's NVMLError, libcuda's CUDAError,
libcudart's cudaError), written once.

A family is one root class (declared with `family=True`) and one subclass per return code:
Root(code) is an instance of the code's subclass, errors compare and hash by `value`, and they
pickle as Root(value). nvitop 1.7 spells the three families out one by one; sharing them here
keeps their identity, equality and pickling rules from drifting apart.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar, Iterable


class CodedError(Exception):
    """The shared rules of a family; its root subclasses this (or CudaError) with family=True."""

    _root: ClassVar[type[CodedError]]
    _value_class_mapping: ClassVar[dict[int, type]]
    value: Any

    def __init_subclass__(cls, family: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if family:  # a family root: its own code -> class table
            cls._root = cls
            cls._value_class_mapping = {}

    @classmethod
    def _class_for(cls, value: object) -> type:
        """The code's subclass when `cls` is the root itself and knows the code, else `cls`."""
        if cls is cls._root and value in cls._value_class_mapping:
            return cls._value_class_mapping[value]  # type: ignore[index]
        return cls

    def __eq__(self, other: object) -> bool:
        return isinstance(other, self._root) and self.value == other.value  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self.value)

    def __reduce__(self) -> tuple[type, tuple[Any]]:
        return self._root, (self.value,)

    @classmethod
    def _add_code_classes(cls, classes: Iterable[tuple[str, int]], namespace: dict[str, Any],
                          init: Callable[[Exception, int, tuple], None]) -> None:
        """One subclass of the root per (class name, code), put in `namespace` (a module's globals).

        Its instances always carry their code as `value`; init(self, code, args) runs as __init__.
        """
        for cls_name, code in classes:
            def new(typ, *_args, _code=code):
                obj = Exception.__new__(typ)
                obj.value = _code
                return obj

            def init_code(self, *args, _code=code):
                init(self, _code, args)

            sub = type(cls_name, (cls._root,), {'__new__': new, '__init__': init_code,
                                                 '__module__': namespace['__name__']})
            namespace[cls_name] = sub
            cls._root._value_class_mapping[code] = sub

    @classmethod
    def _exception_class(cls, code: int, unknown: str) -> type:
        """The code's subclass; ValueError(unknown.format(code)) for a code it does not know."""
        if code not in cls._value_class_mapping:
            raise ValueError(unknown.format(code))
        return cls._value_class_mapping[code]


class CudaError(CodedError):
    """The CUDA facades' root rules: the value may be omitted, repr names the code.

    A family subclasses this once (family=True) and sets `_errcode_to_string` (the descriptions nvitop knows)
    and `_names` (code -> enum name).
    """

    _errcode_to_string: ClassVar[dict[int, str]] = {}
    _names: ClassVar[dict[int, str]] = {}

    def __new__(cls, value: int | None = None) -> CudaError:
        obj = Exception.__new__(cls._class_for(value))
        obj.value = value
        return obj

    def __init__(self, value: int | None = None) -> None:
        if value is None:
            super().__init__()
        else:
            super().__init__(value)
        if value is not None or not hasattr(self, 'value'):
            self.value = value

    def __repr__(self) -> str:
        text = self._root._errcode_to_string.get(self.value)  # type: ignore[attr-defined]
        name = self._root._names.get(self.value)  # type: ignore[attr-defined]
        if text is None or name is None:
            return f'CUDA Error with code {self.value}.'
        return f'{text} Code: {name} ({self.value}).'

    @classmethod
    def _add_classes(cls, classes: Iterable[tuple[str, int]], namespace: dict[str, Any]) -> None:
        """The CUDA subclasses: their __init__ passes its arguments on to Exception."""
        cls._add_code_classes(classes, namespace, lambda self, _code, args: Exception.__init__(self, *args))
