"""The pieces every page is built of; their markup lives in templates/partials/.

- ``{% page_head %}Title{% kicker %}line above it{% actions %}buttons{% endpage_head %}``: the page's heading
  (``kicker`` and ``actions`` are optional; ``testid=`` goes on the h1, ``margin=2`` narrows the space below).
- ``{% table_card %}<thead>…</thead><tbody>…</tbody>{% endtable_card %}``: a table in a card that scrolls
  sideways on narrow screens (``table_class=``, ``table_id=``, ``testid=``, ``card_class=``, ``card_id=``).
- ``{% with_aside %}main{% aside %}{% if form %}…{% endif %}{% endwith_aside %}``: the main column, with a
  narrower one beside it on large screens when the aside renders anything (``class=`` adds to the row).
- ``{% form_card form action=… title=… button=… %}``: one form in a card (see ``form_card`` below).
"""

from django import template
from django.template.base import token_kwargs
from django.utils.safestring import mark_safe

register = template.Library()


class SlotsNode(template.Node):
    """Renders a partial with the markup of each slot (stripped) and the tag's keyword arguments."""

    def __init__(self, partial: str, slots: dict[str, template.NodeList], kwargs: dict):
        self.partial = partial
        self.slots = slots
        self.kwargs = kwargs
        self.nodelist = template.NodeList(node for nodelist in slots.values() for node in nodelist)

    def render(self, context: template.Context) -> str:
        values = {name: mark_safe(nodelist.render(context).strip()) for name, nodelist in self.slots.items()}  # noqa: S308
        values.update({key: value.resolve(context) for key, value in self.kwargs.items()})
        partial = context.render_context.get(self)
        if partial is None:  # loaded once per rendering, as {% include %} does, not once per loop turn
            partial = context.render_context[self] = context.template.engine.get_template(self.partial)
        return partial.render(context.new(values))


def _slots_tag(name: str, partial: str, slot_names: tuple[str, ...] = ()) -> None:
    """Registers ``{% name key=value %}…{% slot %}…{% endname %}``: the first slot is called ``content``."""
    end = f"end{name}"

    def compile_tag(parser, token):
        bits = token.split_contents()[1:]
        kwargs = token_kwargs(bits, parser)
        if bits:
            raise template.TemplateSyntaxError(f"{name} takes keyword arguments only, not {bits[0]!r}")
        slots, slot = {}, "content"
        while True:
            slots[slot] = parser.parse((*slot_names, end))
            slot = parser.next_token().contents
            if slot == end:
                return SlotsNode(partial, slots, kwargs)
            if slot in slots:
                raise template.TemplateSyntaxError(f"{name} has {slot} twice")

    register.tag(name, compile_tag)


_slots_tag("page_head", "partials/page_head.html", ("kicker", "actions"))
_slots_tag("table_card", "partials/table_card.html")
_slots_tag("with_aside", "partials/with_aside.html", ("aside",))


@register.inclusion_tag("partials/form_card.html")
def form_card(
    form=None,
    *,
    button,
    action="",
    title="",
    title_level=2,
    intro="",
    button_class="btn-primary",
    back="",
    card_class="",
    testid="",
    confirm="",
):
    """A POST form in a card: title, intro, the fields and the submit button (with a 返回 link to ``back``).

    An inclusion tag rather than an include, so that the page's own ``title`` or ``form`` never leaks in.
    """
    return {
        "form": form,
        "button": button,
        "action": action,
        "title": title,
        "title_level": title_level,
        "intro": intro,
        "button_class": button_class,
        "back": back,
        "card_class": card_class,
        "testid": testid,
        "confirm": confirm,
    }
