// The side panel of a private room: to its owner the invite link (copy, renew), the members (remove)
// and a way to add one; to a member a way to leave. Public rooms and other people see nothing.
import { addMember, fetchMembers, removeMember, renewInvite } from './api.js';
import { refusalSentence } from './i18n.js';

const $ = (id) => document.getElementById(id);

export class PrivateRoomPanel {
  /**
   * @param {() => (key: string, params?: object) => string} words the page's words now
   * @param {(room: string) => void} onLeft after the reader left a room (the page goes elsewhere)
   */
  constructor(words, onLeft) {
    this.words = words;
    this.onLeft = onLeft;
    this.room = null;
    this.me = '';
    this.view = {
      panel: $('private-room'),
      invite: $('invite'),
      inviteLink: $('invite-link'),
      copy: $('copy-invite'),
      renew: $('new-invite'),
      ownerTools: $('owner-tools'),
      members: $('members'),
      addForm: $('add-member'),
      memberNick: $('member-nick'),
      leave: $('leave-room'),
      error: $('private-error'),
    };
    this.view.copy.addEventListener('click', () => this.copyInvite());
    this.view.renew.addEventListener('click', () => this.act(async () => this.showInvite(this.room, (await renewInvite(this.room)).inviteUrl)));
    this.view.addForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const nick = this.view.memberNick.value.trim();
      if (nick !== '') {
        this.act(async () => {
          await addMember(this.room, nick);
          this.view.memberNick.value = '';
          await this.show(this.room, this.me);
        });
      }
    });
    this.view.members.addEventListener('click', (e) => {
      const nick = e.target.closest('button[data-nick]')?.dataset.nick;
      if (nick !== undefined) {
        this.act(async () => {
          await removeMember(this.room, nick);
          await this.show(this.room, this.me);
        });
      }
    });
    this.view.leave.addEventListener('click', () =>
      this.act(async () => {
        const left = this.room;
        await removeMember(left, this.me);
        this.hide();
        this.onLeft(left);
      }),
    );
  }

  /**
   * Shows what the reader may do in this room: asks for its members, which only its owner may
   * list (a member is told 403, anyone else 404: a public room, or one they are not in).
   */
  async show(room, me) {
    const invite = this.room === room ? this.view.inviteLink.value : '';
    this.room = room;
    this.me = me;
    this.say(null);
    if (me === '') {
      this.hide();
      return;
    }
    let members = null;
    try {
      members = await fetchMembers(room);
    } catch (refused) {
      if (this.room === room) {
        this.hide();
        this.view.panel.hidden = refused.problem?.status !== 403;
        this.view.leave.hidden = this.view.panel.hidden;
      }
      return;
    }
    if (this.room !== room) {
      return; // the page moved on meanwhile
    }
    this.view.panel.hidden = false;
    this.view.ownerTools.hidden = false;
    this.view.leave.hidden = true;
    this.view.invite.hidden = invite === '';
    this.view.inviteLink.value = invite;
    this.renderMembers(members);
  }

  /** The owner's panel shows the members again (someone came or went). */
  refresh() {
    if (!this.view.ownerTools.hidden) {
      this.show(this.room, this.me);
    }
  }

  /** Shows a room's invite link (made with the room, or renewed): the only time its secret is seen. */
  showInvite(room, url) {
    this.room = room;
    this.view.inviteLink.value = url;
    this.view.invite.hidden = false;
    this.view.panel.hidden = false;
  }

  hide() {
    this.view.panel.hidden = true;
    this.view.ownerTools.hidden = true;
    this.view.invite.hidden = true;
    this.view.inviteLink.value = '';
    this.view.leave.hidden = true;
  }

  renderMembers(members) {
    const t = this.words();
    this.view.members.replaceChildren(
      ...members.map((nick) => {
        const item = document.createElement('li');
        const name = document.createElement('span');
        name.textContent = nick === this.me ? `${nick} ${t('private.owner')}` : nick;
        item.append(name);
        if (nick !== this.me) {
          const remove = document.createElement('button');
          remove.type = 'button';
          remove.dataset.nick = nick;
          remove.textContent = t('private.remove');
          remove.setAttribute('aria-label', t('private.removeLabel', { nick }));
          item.append(remove);
        }
        return item;
      }),
    );
  }

  async copyInvite() {
    this.view.inviteLink.select();
    try {
      await navigator.clipboard.writeText(this.view.inviteLink.value);
      this.view.copy.textContent = this.words()('private.invite.copied');
    } catch {
      // No clipboard here (an insecure origin, say): the link is selected for the reader to copy.
    }
  }

  /** Does one of the owner's or member's actions, saying why if it was refused. */
  async act(action) {
    this.say(null);
    this.view.copy.textContent = this.words()('private.invite.copy');
    try {
      await action();
    } catch (refused) {
      if (!refused.problem) {
        throw refused;
      }
      this.say(refusalSentence(this.words(), refused.problem));
    }
  }

  say(sentence) {
    this.view.error.hidden = sentence === null;
    this.view.error.textContent = sentence ?? '';
  }
}
