"""The OAuth consent page: plain HTML, no scripts."""

from html import escape

_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; background: #f6f3ef; color: #222; margin: 0; }
main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem;
       border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
h1 { font-size: 1.3rem; margin-top: 0; }
label { display: block; margin: .8rem 0 .2rem; font-weight: 600; }
input[type=text], input[type=password] { width: 100%; padding: .5rem; box-sizing: border-box;
       border: 1px solid #bbb; border-radius: 6px; }
.buttons { display: flex; gap: .8rem; margin-top: 1.4rem; }
button { flex: 1; padding: .6rem; border-radius: 6px; border: 0; font-size: 1rem; }
button[value=allow] { background: #7a1f3d; color: #fff; }
.error { color: #a00; }
"""


def consent_html(params: dict[str, str], client_name: str, error: str | None = None) -> str:
    hidden = "\n".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, value in params.items()
    )
    problem = f'<p class="error">{escape(error)}</p>' if error else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Allow {escape(client_name)}?</title>
<style>{_STYLE}</style></head>
<body><main>
<h1>Allow <strong>{escape(client_name)}</strong> to manage your closet?</h1>
<p>It will be able to create and edit listings, answer offers, read orders and likes,
and message your buyers. You can revoke this at any time.</p>
{problem}
<form method="post" action="/oauth/authorize">
{hidden}
<label for="seller">Seller name</label>
<input id="seller" type="text" name="seller" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" type="password" name="password" autocomplete="current-password" required>
<div class="buttons">
<button type="submit" name="decision" value="deny">Deny</button>
<button type="submit" name="decision" value="allow">Allow</button>
</div>
</form>
</main></body></html>
"""
