"""Every colour of the app's stylesheets comes from static/css/variables.css,
where each has a light and a dark value: a colour written anywhere else would
stay the same in both themes."""

import re
from pathlib import Path

CSS = Path(__file__).resolve().parent.parent / "static" / "css"

# The CSS Color 4 named colours (and the system colours that vary by browser).
NAMED_COLOURS = set(
    """aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue
    blueviolet brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk
    crimson cyan darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki
    darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
    darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue
    dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite
    gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
    lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen
    lightskyblue lightslategray lightslategrey lightsteelblue lightyellow lime limegreen linen
    magenta maroon mediumaquamarine mediumblue mediumorchid mediumpurple mediumseagreen
    mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue mintcream
    mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid
    palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum
    powderblue purple rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown
    seagreen seashell sienna silver skyblue slateblue slategray slategrey snow springgreen
    steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen canvas canvastext linktext visitedtext activetext buttonface buttontext
    buttonborder field fieldtext highlight highlighttext mark marktext graytext""".split()
)
COLOUR_PROPERTY = re.compile(
    r"^(color|background(-color)?|border(-\w+)*|outline(-color)?|fill|stroke|box-shadow|"
    r"text-shadow|text-decoration(-color)?|caret-color|accent-color|column-rule(-color)?|"
    r"scrollbar-color)$"
)
HEX = re.compile(r"#[0-9a-f]{3,8}\b", re.IGNORECASE)
COLOUR_FUNCTION = re.compile(
    r"\b(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|light-dark|color-mix)\(", re.IGNORECASE
)


def colour_literals(css):
    """The colour literals in a stylesheet's declarations, as "property: value"."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    css = re.sub(r"\"[^\"]*\"|'[^']*'", '""', css)  # content: "…" is not a colour
    found = []
    # Innermost blocks hold declarations; selectors (#id, :hover) stay outside them.
    for block in re.findall(r"\{([^{}]*)\}", css):
        for declaration in block.split(";"):
            prop, _, value = declaration.partition(":")
            prop, value = prop.strip().lower(), value.strip()
            if prop.startswith("--"):
                continue  # a custom property here would be caught where it is defined
            words = set(re.findall(r"(?<![\w(-])[a-z]+(?![\w(-])", value.lower()))
            if (
                HEX.search(value)
                or COLOUR_FUNCTION.search(value)
                or (COLOUR_PROPERTY.match(prop) and words & NAMED_COLOURS)
            ):
                found.append(f"{prop}: {value}")
    return found


def test_it_keeps_every_colour_of_the_app_stylesheets_in_variables_css():
    stylesheets = sorted(path for path in CSS.glob("*.css") if path.name != "variables.css")
    assert len(stylesheets) >= 3  # base, conversation, code: the glob found them
    literals = {path.name: colour_literals(path.read_text()) for path in stylesheets}
    assert {name: found for name, found in literals.items() if found} == {}


def test_it_would_see_a_colour_written_outside_variables_css():
    css = """
    #add-url:hover, .a::after { content: "red"; color: var(--text); }  /* white */
    .b { color: #fff; }
    .c { background: rgb(0 0 0 / .3); }
    .d { border: 1px solid white; }
    .e { box-shadow: 0 1px 2px hsl(0 0% 0%); }
    .f { border-color: transparent; white-space: nowrap; }
    @media (max-width: 700px) { .g { outline: 2px solid rebeccapurple; } }
    """
    assert colour_literals(css) == [
        "color: #fff",
        "background: rgb(0 0 0 / .3)",
        "border: 1px solid white",
        "box-shadow: 0 1px 2px hsl(0 0% 0%)",
        "outline: 2px solid rebeccapurple",
    ]
