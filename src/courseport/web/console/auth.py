"""Signing in (a login and password, or a pasted access token) and out; `/` leads to the console."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie, FormMultiDict
from litestar.response import Redirect

from courseport.core.identity import logins, tokens
from courseport.core.kit.errors import InvalidInput
from courseport.db import transaction
from courseport.throttle import refuse_throttled
from courseport.web.console import session
from courseport.web.console.session import checked_form, in_thread, render, services_of

HOME = "/console/courses"


def safe_next(value: object) -> str:
    """Where to go after signing in: a console path of this site, never another site."""
    if isinstance(value, str) and value.startswith("/console/") and not value.startswith("//") and "\\" not in value:
        return value
    return HOME


@get("/", sync_to_thread=False)
def root() -> Redirect:
    return Redirect("/console/", status_code=302)


@get("/console", sync_to_thread=False)  # Litestar routes /console/ here too
def console_home() -> Redirect:
    return Redirect(HOME, status_code=302)


@get("/console/sign-in", sync_to_thread=False)
def sign_in_page(request: Request) -> Response:
    csrf = request.cookies.get(session.PRE_SESSION_COOKIE) or session.pre_session_token()
    cookie = Cookie(key=session.PRE_SESSION_COOKIE, value=csrf, path="/console", httponly=True, samesite="strict")
    return render(request, "sign_in.html", csrf=csrf, next=safe_next(request.query_params.get("next")),
                  cookies=[cookie])


@post("/console/sign-in")
async def sign_in(request: Request) -> Response:
    refuse_throttled(request)  # wrong passwords and tokens count per address, as on every face
    form = await checked_form(request)
    token = await in_thread(_open_session, request, form)
    response = Redirect(safe_next(form.get("next")), status_code=303)
    response.cookies.extend([session.session_cookie(request, token, session.SESSION_HOURS * 3600),
                             Cookie(key=session.PRE_SESSION_COOKIE, value="", path="/console", max_age=0)])
    return response


def _open_session(request: Request, form: FormMultiDict) -> str:
    login, password, pasted = (str(form.get(k) or "").strip() for k in ("login", "password", "access_token"))
    with transaction(services_of(request).engine, write=True) as db:
        if pasted:
            user = tokens.authenticate(db, pasted)
        elif login and password:
            user = logins.sign_in(db, login, password)
        else:
            raise InvalidInput("login", "Give a login and password, or paste an access token.")
        return session.new_session(db, user)


@post("/console/sign-out")
async def sign_out(request: Request) -> Response:
    await checked_form(request)
    await in_thread(_close_session, request)
    response = Redirect("/console/sign-in", status_code=303)
    response.cookies.append(session.session_cookie(request, "", 0))
    return response


def _close_session(request: Request) -> None:
    with transaction(services_of(request).engine, write=True) as db:
        tokens.revoke_token(db, session.session_token(request))


ROUTES = [root, console_home, sign_in_page, sign_in, sign_out]
