/**
 * "People": every user with their like count, and Like / Unlike. A like is queued by the API
 * (202) and counted by a worker, so the count is read again until it moves (or a few tries
 * pass: liking someone twice counts once).
 */
import type { Api, UserItem } from './api.js';
import { announce, h } from './dom.js';

const RECHECK_DELAYS_MS = [250, 500, 750, 1000, 1500, 2000];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createUsersPage(api: Api, onError: (message: string) => void): HTMLElement {
  const list = h('ul', { class: 'users', 'aria-label': 'People' });
  const status = h('p', { role: 'status', class: 'more' }, 'Loading…');
  const moreButton = h('button', { type: 'button', hidden: true }, 'Show more people');
  let cursor: string | undefined;

  async function load(): Promise<void> {
    moreButton.hidden = true;
    try {
      const page = await api.listUsers(cursor);
      list.append(...page.items.map((u) => userRow(api, u, onError)));
      cursor = page.cursor;
      moreButton.hidden = cursor === undefined;
      status.textContent = list.children.length === 0 ? 'Nobody here yet.' : '';
    } catch (error) {
      status.textContent = (error as Error).message;
    }
  }
  moreButton.addEventListener('click', () => void load());
  void load();
  return h(
    'section',
    { 'aria-labelledby': 'users-heading' },
    h('h2', { id: 'users-heading' }, 'People'),
    list,
    status,
    moreButton,
  );
}

function userRow(api: Api, user: UserItem, onError: (message: string) => void): HTMLLIElement {
  const count = h('span', { class: 'likes', 'aria-live': 'polite' });
  const show = (likes: number) => {
    count.textContent = `${likes} ${likes === 1 ? 'like' : 'likes'}`;
  };
  show(user.likes);
  let likes = user.likes;
  const act = async (action: 'like' | 'unlike', button: HTMLButtonElement) => {
    button.disabled = true;
    try {
      await (action === 'like' ? api.like(user.id) : api.unlike(user.id));
      for (const delay of RECHECK_DELAYS_MS) {
        await sleep(delay);
        const fresh = await api.getUser(user.id);
        if (fresh.likes !== likes) {
          likes = fresh.likes;
          break;
        }
      }
      show(likes);
      announce(`${user.name}: ${count.textContent}`);
    } catch (error) {
      onError((error as Error).message);
    } finally {
      button.disabled = false;
    }
  };
  const like = h('button', { type: 'button', 'aria-label': `Like ${user.name}` }, 'Like');
  const unlike = h('button', { type: 'button', 'aria-label': `Unlike ${user.name}` }, 'Unlike');
  like.addEventListener('click', () => void act('like', like));
  unlike.addEventListener('click', () => void act('unlike', unlike));
  return h(
    'li',
    { class: 'user', 'data-user-id': user.id },
    h('span', { class: 'user-name' }, user.name),
    count,
    like,
    unlike,
  );
}
