"""The display modes a visitor may choose (长者模式), kept in a cookie.

One place names the modes and reads the cookie: the context processor renders the class on
<body>, the page cache keys a page by the mode, and the switch's view writes it. Only known
values count, so a forged cookie can neither add cache entries nor put text into the page.
"""

MODE_COOKIE = "display_mode"
MODE_COOKIE_AGE = 365 * 24 * 3600
STANDARD = "standard"
ELDER = "elder"
MODES = (STANDARD, ELDER)


def display_mode(request):
    if request is None:
        return STANDARD
    mode = request.COOKIES.get(MODE_COOKIE, STANDARD)
    return mode if mode in MODES else STANDARD
