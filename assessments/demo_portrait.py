"""The demo's passport photo, drawn (no real person): used by the demo of the assessments and of scope reduction."""


def demo_portrait(*, female: bool) -> bytes:
    """A 3x4 passport photo on a red background: a drawn head and shoulders in a dark suit (no real person)."""
    import io

    from PIL import Image, ImageDraw

    w, h = 354, 472
    image = Image.new("RGB", (w, h), (196, 32, 38))
    draw = ImageDraw.Draw(image)
    skin, suit = (224, 184, 150), (38, 44, 62)
    draw.ellipse((40, 330, w - 40, h + 200), fill=suit)  # shoulders
    draw.polygon([(w / 2 - 40, 340), (w / 2 + 40, 340), (w / 2, 420)], fill=(245, 245, 245))  # collar
    draw.rectangle((w / 2 - 28, 270, w / 2 + 28, 345), fill=skin)  # neck
    if female:  # a headscarf framing the face
        draw.ellipse((82, 70, w - 82, 350), fill=(60, 90, 130))
    else:
        draw.ellipse((102, 64, w - 102, 190), fill=(30, 24, 20))  # hair
    draw.ellipse((110, 90, w - 110, 310), fill=skin)  # face
    for x in (w / 2 - 38, w / 2 + 22):
        draw.ellipse((x, 180, x + 16, 192), fill=(40, 30, 25))
    draw.arc((w / 2 - 30, 225, w / 2 + 30, 265), 20, 160, fill=(150, 70, 60), width=4)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
