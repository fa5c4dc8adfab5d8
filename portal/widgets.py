"""A choice among hundreds of rows, rendered without a template per option.

Django's ``Select`` renders each option through a template include (``select_option.html``, then
``attrs.html``): about 0.15 ms an option, so the queue's choice of a unit (400 units of a province)
and of a team (200) cost 100 ms of a 250 ms page at province scale. ``QuickSelect`` writes the same
HTML, character for character, in Python; its options and attributes come from Django's own
``get_context``, so a subclass that changes ``create_option`` (a disabled option) still works.

A choice of rows (a ``ModelChoiceField``'s) keeps its values and escaped labels for a minute
(``portal.paging.Kept``, under the digest of the rows' query, the field and the language): a province
of 4,000 units and 1,000 teams made each of its queue's pages read and write 6,000 model rows.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal.paging import Kept


def _attributes(attrs: dict) -> str:
    """As Django's ``attrs.html``: ``False`` leaves the attribute out, ``True`` writes its name alone."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self._keeps_choices():
            return self._render_kept(name, value, attrs)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(  # Django's option template ends with a line break of its own
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every name, value and label is escaped above)

    def _keeps_choices(self) -> bool:
        """Rows to choose one of, whose field keeps its labels (``IdChoiceField.keeps_labels``), written as
        ``Select`` writes them (no subclass changes an option)."""
        return (
            type(self.choices) is ModelChoiceIterator  # one option a row, no groups
            and getattr(self.choices.field, "keeps_labels", False)
            and "label_from_instance" not in vars(self.choices.field)
            and not self.allow_multiple_selected
            and type(self).create_option is forms.Select.create_option
        )

    def _render_kept(self, name, value, attrs) -> SafeString:
        """As ``render``, over the kept choices: an option is selected as in ``Select.optgroups`` (the
        first whose value was chosen)."""
        chosen = set(self.format_value(value))
        parts = [
            f'<select name="{conditional_escape(name)}"{_attributes(self.build_attrs(self.attrs, attrs))}>'
        ]
        has_selected = False
        for option_value, label in self._kept_choices():
            selected = not has_selected and option_value in chosen
            has_selected |= selected
            parts.append(
                f'\n  <option value="{option_value}"{" selected" if selected else ""}>{label}</option>\n'
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (values and labels escaped when kept)

    def _kept_choices(self) -> list[tuple[str, str]]:
        """Each option's escaped value and label, kept for a minute."""
        iterator = self.choices
        field = iterator.field

        def escaped_choices(queryset) -> list[tuple[str, str]]:
            return [(conditional_escape(str(value)), conditional_escape(label)) for value, label in iterator]

        varies = (
            translation.get_language(),
            type(field).__module__,
            type(field).__qualname__,
            str(field.empty_label),
        )
        return Kept.of(iterator.queryset, escaped_choices, varies=varies).value()
