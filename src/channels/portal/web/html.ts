// Tiny HTML toolkit for the portal's server-rendered pages: escaping, the page layout (skip link, header,
// navigation, main, footer with the single number/address/e-mail), mobile-first CSS.
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The single front door shown on every page: one number, one postal address, one e-mail, opening hours. */
export interface ContactInfo {
  phone: string | null;
  address: string[];
  email: string | null;
  hours: string;
}

const DAYS = ['', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const hm = (t: string) => t.replace(/^0/, '').replace(':', ' h ').replace(/ h 00$/, ' h');

/** `du lundi au vendredi : 7 h 30 – 19 h` from the contact center's weekly schedule. */
export function describeSchedule(schedule: Record<string, Array<{ from: string; to: string }>>): string {
  const groups: Array<{ from: number; to: number; text: string }> = [];
  for (let d = 1; d <= 7; d++) {
    const ranges = schedule[String(d)] ?? [];
    if (!ranges.length) continue;
    const text = ranges.map((r) => `${hm(r.from)} – ${hm(r.to)}`).join(', ');
    const last = groups.at(-1);
    if (last && last.to === d - 1 && last.text === text) last.to = d;
    else groups.push({ from: d, to: d, text });
  }
  return groups.map((g) => `${g.from === g.to ? `le ${DAYS[g.from]}` : `du ${DAYS[g.from]} au ${DAYS[g.to]}`} : ${g.text}`).join(' ; ') || 'sur rendez-vous';
}

export interface Layout {
  title: string;
  signedIn?: string | null;
  csrf?: string | null;
  flash?: string | null;
  contact: ContactInfo;
}

export function page(l: Layout, body: string): string {
  const nav = l.signedIn
    ? `<a href="/mon-espace">Mon espace</a>
       <form method="post" action="/deconnexion" class="inline"><input type="hidden" name="_csrf" value="${esc(l.csrf)}"><button type="submit" class="link">Se déconnecter</button></form>`
    : `<a href="/connexion">Se connecter</a> <a href="/inscription">Créer un compte</a>`;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(l.title)} – Espace citoyens</title>
<link rel="stylesheet" href="/portail/style.css">
<script src="/portail/app.js" defer></script>
</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header class="top">
  <a class="brand" href="/portail">Espace citoyens du Département</a>
  <nav aria-label="Compte">${nav}</nav>
</header>
<main id="contenu" tabindex="-1">
${l.flash ? `<p class="flash" role="status">${esc(l.flash)}</p>` : ''}
${body}
</main>
<footer>
  <h2>Nous contacter</h2>
  ${l.contact.phone ? `<p>Téléphone : <a href="tel:${esc(l.contact.phone.replace(/\s/g, ''))}">${esc(l.contact.phone)}</a></p>` : ''}
  <p>Horaires d’accueil téléphonique : ${esc(l.contact.hours)}</p>
  <p>Courrier : ${l.contact.address.map(esc).join(', ')}</p>
  ${l.contact.email ? `<p>Courriel : <a href="mailto:${esc(l.contact.email)}">${esc(l.contact.email)}</a></p>` : ''}
  <p><a href="/suivi">Suivre une demande avec un code de suivi</a></p>
</footer>
</body>
</html>`;
}

export function errorSummary(errors: Record<string, string>, labels: Record<string, string> = {}): string {
  const entries = Object.entries(errors);
  if (!entries.length) return '';
  return `<div class="errors" role="alert" tabindex="-1" id="erreurs"><h2>Certaines réponses sont à corriger</h2><ul>${entries
    .map(([k, v]) => `<li><a href="#f-${esc(k.split('.')[0])}">${esc(labels[k.split('.')[0]] ?? k)} : ${esc(v)}</a></li>`)
    .join('')}</ul></div>`;
}

export const CSS = `
*{box-sizing:border-box}body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#161616;background:#fff}
a{color:#000091}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #0a76f6;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px;z-index:9}
.top{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between;align-items:center;padding:12px 16px;border-bottom:4px solid #000091}
.brand{font-weight:700;text-decoration:none;color:#000091}.top nav{display:flex;gap:12px;align-items:center;flex-wrap:wrap}
main{max-width:48rem;margin:0 auto;padding:16px}footer{background:#f6f6f6;padding:16px;margin-top:32px}footer h2{font-size:1.1rem}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.3rem}
.card{border:1px solid #ddd;border-radius:4px;padding:12px;margin:8px 0}.card h3{margin:0 0 4px;font-size:1.1rem}
label,.legend{display:block;font-weight:600;margin-top:16px}.hint{display:block;font-weight:400;color:#3a3a3a;font-size:.9rem}
input[type=text],input[type=email],input[type=tel],input[type=password],input[type=date],input:not([type]),select,textarea{width:100%;padding:10px;font:inherit;border:1px solid #666;border-radius:4px;min-height:44px}
textarea{min-height:8rem}fieldset{border:1px solid #ddd;border-radius:4px;margin:16px 0;padding:12px}legend{font-weight:700;font-size:1.15rem;padding:0 4px}
.choice{display:flex;gap:8px;align-items:center;margin:6px 0;font-weight:400}.choice input{width:24px;height:24px}
button,.button{display:inline-block;background:#000091;color:#fff;border:0;border-radius:4px;padding:12px 20px;font:inherit;font-weight:600;min-height:44px;margin-top:16px;cursor:pointer;text-decoration:none}
button.link{background:none;color:#000091;text-decoration:underline;padding:0;margin:0;min-height:0;font-weight:400}.inline{display:inline}
.error{color:#ce0500;font-weight:600;display:block}.errors{border:2px solid #ce0500;padding:12px;margin:12px 0}
.flash{background:#e8f5e9;border-left:4px solid #18753c;padding:12px}.status{display:inline-block;background:#e3e3fd;color:#000091;padding:2px 8px;border-radius:12px;font-size:.9rem;font-weight:600}
.timeline{list-style:none;padding:0}.timeline li{border-left:3px solid #ddd;padding:4px 0 12px 12px}.timeline .out{border-color:#000091}
.meta{color:#3a3a3a;font-size:.9rem}[hidden]{display:none!important}
`;

// Progressive enhancement: shows/hides conditional fields and pages as the citizen answers (without
// JavaScript every field is shown and the server ignores answers to fields that do not apply).
export const JS = `
(function(){
  function val(form,name){var els=form.querySelectorAll('[name="'+name+'"]');var out=[];els.forEach(function(e){if(e.type==='checkbox'||e.type==='radio'){if(e.checked)out.push(e.value==='on'?true:e.value)}else if(e.value)out.push(e.value)});
    var single=els.length===1||(els[0]&&els[0].type==='radio');return single?(out.length?out[0]:undefined):out}
  function ev(c,form){if(!c)return true;if(c.all)return c.all.every(function(x){return ev(x,form)});if(c.any)return c.any.some(function(x){return ev(x,form)});
    var v=val(form,c.field);if('equals' in c)return Array.isArray(v)?v.indexOf(c.equals)>=0:(v===c.equals||String(v)===String(c.equals));
    if('notEquals' in c)return Array.isArray(v)?v.indexOf(c.notEquals)<0:v!==c.notEquals;if('in' in c)return c.in.indexOf(v)>=0;
    if('filled' in c){var f=Array.isArray(v)?v.length>0:!!v;return f===c.filled}return true}
  function apply(form){form.querySelectorAll('[data-when]').forEach(function(el){var show=ev(JSON.parse(el.getAttribute('data-when')),form);el.hidden=!show;
    el.querySelectorAll('input,select,textarea').forEach(function(i){i.disabled=!show})})}
  // Autosave: the answers (not the files) are saved as a draft 1.5 s after the last change.
  function autosave(form){var fd=new FormData(form);fd.set('_action','autosave');form.querySelectorAll('input[type=file]').forEach(function(i){fd.delete(i.name)});
    fetch(form.action,{method:'POST',body:fd,credentials:'same-origin'}).then(function(r){return r.ok?r.json():null}).then(function(j){if(!j)return;
      form.querySelector('[name=_draft]').value=j.draftId;var s=document.getElementById('autosave');
      if(s)s.textContent='Brouillon enregistré automatiquement à '+new Date().toLocaleTimeString('fr-FR',{hour:'2-digit',minute:'2-digit'})+'.'}).catch(function(){})}
  document.querySelectorAll('form[data-procedure]').forEach(function(form){var t;apply(form);form.addEventListener('change',function(){apply(form)});
    form.addEventListener('input',function(){clearTimeout(t);t=setTimeout(function(){autosave(form)},1500)})});
  var e=document.getElementById('erreurs');if(e)e.focus();
})();
`;
