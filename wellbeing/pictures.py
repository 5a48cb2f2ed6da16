"""The pictures of the questionnaire: one per question, one per child (a symbol the child
knows as their own, like the picture on a peg), and the default set of questions.

The drawings live in static/wellbeing/pictures.svg as <symbol id="q-...">, "s-..." and
"smiley-..."; every key here has a drawing there (tested).
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

PICTURES = {
    "play": pgettext_lazy("picture", "Toys and play"),
    "friends": pgettext_lazy("picture", "Two friends"),
    "scolded": pgettext_lazy("picture", "An adult scolding"),
    "say": pgettext_lazy("picture", "A child with a hand up"),
    "space": pgettext_lazy("picture", "A room with space"),
    "noise": pgettext_lazy("picture", "Noise"),
    "playground": pgettext_lazy("picture", "The playground"),
    "safe": pgettext_lazy("picture", "A safe embrace"),
    "adult": pgettext_lazy("picture", "An adult and a child"),
    "beauty": pgettext_lazy("picture", "Flowers and pictures"),
    "food": pgettext_lazy("picture", "A meal together"),
    "peers": pgettext_lazy("picture", "Children playing together"),
}
PICTURE_CHOICES = list(PICTURES.items())

SHAPES = {
    "sun": pgettext_lazy("symbol", "Sun"),
    "moon": pgettext_lazy("symbol", "Moon"),
    "star": pgettext_lazy("symbol", "Star"),
    "heart": pgettext_lazy("symbol", "Heart"),
    "apple": pgettext_lazy("symbol", "Apple"),
    "fish": pgettext_lazy("symbol", "Fish"),
    "cat": pgettext_lazy("symbol", "Cat"),
    "tree": pgettext_lazy("symbol", "Tree"),
    "flower": pgettext_lazy("symbol", "Flower"),
    "car": pgettext_lazy("symbol", "Car"),
    "boat": pgettext_lazy("symbol", "Boat"),
    "ball": pgettext_lazy("symbol", "Ball"),
    "house": pgettext_lazy("symbol", "House"),
    "cloud": pgettext_lazy("symbol", "Cloud"),
    "butterfly": pgettext_lazy("symbol", "Butterfly"),
    "bird": pgettext_lazy("symbol", "Bird"),
    "mushroom": pgettext_lazy("symbol", "Mushroom"),
    "leaf": pgettext_lazy("symbol", "Leaf"),
    "umbrella": pgettext_lazy("symbol", "Umbrella"),
    "kite": pgettext_lazy("symbol", "Kite"),
}
COLOURS = {
    "red": pgettext_lazy("symbol colour", "red"),
    "blue": pgettext_lazy("symbol colour", "blue"),
    "green": pgettext_lazy("symbol colour", "green"),
}
# "sun-red", "sun-blue", ...: the shape first, so neighbours in a group differ in shape.
SYMBOLS = {
    f"{shape}-{colour}": format_lazy("{} ({})", shape_label, colour_label)
    for colour, colour_label in COLOURS.items()
    for shape, shape_label in SHAPES.items()
}
SYMBOL_CHOICES = list(SYMBOLS.items())


def symbol_parts(key: str) -> tuple[str, str]:
    shape, _, colour = key.partition("-")
    return shape, colour


# The default questions, in Danish: they are said aloud to Danish children, and a
# municipality edits its own copy. (code, text, dimension, picture, kind)
DEFAULT_QUESTIONS = [
    ("play", "Kan du lide at lege her i børnehaven?", "psychological", "play", "smiley"),
    ("friends", "Har du en god ven her?", "psychological", "friends", "smiley"),
    (
        "someone_to_play",
        "Er der nogen at lege med, når du gerne vil lege?",
        "psychological",
        "peers",
        "smiley",
    ),
    (
        "scolded",
        "Hvordan har du det, når de voksne skælder ud?",
        "psychological",
        "scolded",
        "smiley",
    ),
    (
        "say",
        "Må du være med til at bestemme, hvad I skal lave?",
        "psychological",
        "say",
        "smiley",
    ),
    ("space", "Er der plads nok til at lege inde på stuen?", "physical", "space", "smiley"),
    ("noise", "Hvordan har du det med larmen på stuen?", "physical", "noise", "smiley"),
    ("playground", "Kan du lide at lege på legepladsen?", "physical", "playground", "smiley"),
    ("safe", "Er du tryg, når du er her?", "psychological", "safe", "smiley"),
    (
        "adult",
        "Er der en voksen, du kan gå til, når du er ked af det?",
        "psychological",
        "adult",
        "smiley",
    ),
    ("beauty", "Synes du, her er pænt og hyggeligt?", "aesthetic", "beauty", "smiley"),
    ("food", "Kan du lide at spise sammen med de andre?", "psychological", "food", "smiley"),
    (
        "peers",
        "Hvem kan du godt lide at lege med? Tryk på billederne.",
        "psychological",
        "peers",
        "peers",
    ),
]
