// Sign in and out in the page. The server keeps the session in an HttpOnly
// cookie; the page keeps only the CSRF token for writes. Controls marked
// .editor-only are shown to editors and admins alone: viewers and anonymous
// visitors never see them (the server refuses their writes anyway).

import { api, setCsrfToken } from './api.js';

const EDITING_ROLES = ['editor', 'admin'];
const $ = (id) => document.getElementById(id);

export class Session {
  constructor() {
    this.user = null;
    this.role = null;
    this.listeners = [];
  }

  get canEdit() {
    return EDITING_ROLES.includes(this.role);
  }

  /** Calls `fn(session)` after every sign-in or sign-out. */
  onChange(fn) {
    this.listeners.push(fn);
  }

  /** Reads who is signed in (a session survives a reload) and wires the controls. */
  async start() {
    this.wire();
    try {
      const { data } = await api('GET', '/api/me');
      this.set(data);
    } catch {
      this.set(null);
    }
  }

  set(me) {
    this.user = me && me.user ? me.user : null;
    this.role = this.user ? me.role : null;
    setCsrfToken(this.user ? me.csrf : null);
    document.body.classList.toggle('can-edit', this.canEdit);
    for (const node of document.querySelectorAll('.editor-only')) node.hidden = !this.canEdit;
    $('sign-in').hidden = Boolean(this.user);
    $('sign-out').hidden = !this.user;
    const who = $('who');
    who.hidden = !this.user;
    who.textContent = this.user ? `${this.user} (${this.role})` : '';
    for (const fn of this.listeners) fn(this);
  }

  wire() {
    const dialog = $('login-dialog');
    const error = $('login-error');
    $('sign-in').addEventListener('click', () => {
      error.textContent = '';
      dialog.showModal();
      $('login-name').focus();
    });
    $('login-cancel').addEventListener('click', () => dialog.close());
    $('login-form').addEventListener('submit', async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        const { data } = await api('POST', '/api/login', {
          body: { name: $('login-name').value.trim(), password: $('login-password').value },
        });
        $('login-password').value = '';
        dialog.close();
        this.set({ user: data.user, role: data.role, csrf: data.csrf });
        $('sign-out').focus();
      } catch (err) {
        error.textContent = err.status === 401 ? 'Wrong name or password.' : err.message;
      }
    });
    $('sign-out').addEventListener('click', async () => {
      try { await api('POST', '/api/logout'); } catch { /* the cookie is gone either way */ }
      this.set(null);
      $('sign-in').focus();
    });
  }
}
