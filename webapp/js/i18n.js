// The page's words in its two languages, Simplified Chinese and English, and the one place that
// picks and formats them. Pure: no DOM and no storage here (app.js applies and remembers the
// choice), so node's test runner checks it as it is.

export const LANGUAGES = ['en', 'zh-CN'];

/** What the language switch shows for each language, in that language. */
export const LANGUAGE_NAMES = { en: 'English', 'zh-CN': '简体中文' };

const WORDS = {
  en: {
    'page.title': 'Parley',
    'page.skip': 'Skip to the message box',
    'nick.label': 'Nickname',
    'language.label': 'Language',
    'nick.signOut': 'Sign out',
    'nick.held': 'Someone else holds this nickname. Choose another.',
    'nick.reserved': 'This name is reserved. If it is yours, enter its secret below.',
    'nick.invalid': 'Use 1 to 32 characters, without invisible or control characters.',
    'nick.tooFast': 'Too many tries. Wait {seconds} s.',
    'nick.unreachable': 'Could not reach the server. Try again.',
    'rooms.heading': 'Rooms',
    'rooms.join.label': 'Join or create a room',
    'rooms.join.button': 'Join',
    'rooms.join.invalid': 'Use lowercase letters, digits, dots, dashes and underscores.',
    'rooms.online': '{count} online',
    'rooms.unread': '{count} unread',
    'rooms.unread.many': 'more than 99 unread',
    'rooms.mentioned': 'you were mentioned',
    'online.heading': 'Online',
    'online.you': '(you)',
    'messages.label': 'Messages',
    'messages.new': 'New messages ↓',
    'send.label': 'Message',
    'send.placeholder': 'Enter sends, Shift+Enter starts a new line',
    'send.button': 'Send',
    'send.pickNick': 'Pick a nickname first.',
    'send.pending': 'Not sent yet: waiting for the network. It goes out by itself, once.',
    'message.pending': '(sending…)',
    'status.connecting': 'Connecting…',
    'status.connected': 'Connected',
    'status.reconnecting': 'Reconnecting…',
    'status.offline': 'Offline: will retry',
    'reset.expired': 'You were away longer than the history reaches back: showing the latest messages.',
    'reset.unknown': 'The server no longer knows where you left off: showing the latest messages.',
    'reset.malformed': 'The server could not resume where you left off: showing the latest messages.',
    'reset.other': 'The history was reset: showing the latest messages.',
    'message.integration': 'integration',
    'message.integration.title': 'Posted by an integration with its token',
    'message.edited': '(edited)',
    'message.edit': 'Edit',
    'message.delete': 'Delete',
    'message.save': 'Save',
    'message.cancel': 'Cancel',
    'message.editLabel': 'New text of the message',
    'problem.edit-window-closed': 'Too late: a message can be changed only for a while after it was sent.',
    'problem.not-author': 'Only its author may change this message.',
    'problem.no-such-message': 'That message is gone.',
    'typing.one': '{a} is typing…',
    'typing.two': '{a} and {b} are typing…',
    'typing.many': '{a}, {b} and {count} others are typing…',
    'problem.unreachable': 'Could not reach the server. Your message was not sent.',
    'problem.invalid.author': 'Not sent: that nickname cannot be used (1 to 32 characters, no invisible or control characters).',
    'problem.invalid.text': 'Not sent: the message is empty, too long, or has control characters.',
    'problem.invalid.text.too-long': 'Not sent: the message is too long.',
    'problem.invalid.text.required': 'Not sent: the message is empty.',
    'problem.invalid.text.control-characters': 'Not sent: the message has control characters.',
    'problem.invalid': 'Not sent: the server found something wrong in it.',
    'problem.posts-per-client': 'Not sent: you are sending too fast. Try again in {seconds} s.',
    'problem.nick-held': 'Not sent: someone else holds that nickname.',
    'problem.reserved-name': 'Not sent: that name belongs to an integration.',
    'problem.banned': 'Not sent: you are banned from this room for now. Try again in {seconds} s.',
    'problem.no-such-room': 'Not sent: there is no such room.',
    'problem.too-large': 'Not sent: the message is too large.',
    'problem.unavailable': 'Not sent: the server cannot store messages right now. Try again shortly.',
    'problem.other': 'Not sent: the server answered {status}.',
    'nick.secret': "This name is a moderator's. Its secret:",
    'nick.secretButton': 'Sign in',
    'nick.moderator': 'You are a moderator',
    'nick.wrongSecret': 'That secret is not this name’s.',
    'notify.label': 'Notify me when I am mentioned and this tab is hidden',
    'notify.denied': 'The browser does not allow notifications for this page.',
    'notify.title': '{author} mentioned you in #{room}',
    'rooms.private.label': 'Private: only people I invite',
    'private.heading': 'Private room',
    'private.invite.label': 'Invite link: whoever has it may join',
    'private.invite.copy': 'Copy',
    'private.invite.copied': 'Copied',
    'private.invite.new': 'New invite link',
    'private.members': 'Members',
    'private.owner': '(owner)',
    'private.add.label': 'Add a member by nickname',
    'private.add.button': 'Add',
    'private.remove': 'Remove',
    'private.removeLabel': 'Remove {nick}',
    'private.leave': 'Leave this room',
    'private.joinNeedsNick': 'Choose a nickname to join #{room} with your invite.',
    'notice.noAccess': 'There is no room #{room}, or it is private: ask its owner for an invite link.',
    'notice.banned': 'A moderator banned you from this room until {time}.',
    'notice.removed': 'You are no longer a member of this private room.',
    'message.ban': 'Ban',
    'ban.label': 'Ban {nick} for',
    'ban.confirm': 'Ban',
    'ban.10': '10 minutes',
    'ban.60': '1 hour',
    'ban.1440': '1 day',
    'ban.10080': '1 week',
    'ban.done': '{nick} is banned from this room until {time}.',
    'history.start': 'The beginning of this room',
    'history.loading': 'Loading…',
    'refusal.room-name-taken': 'That name is taken: choose another for a private room.',
    'refusal.sign-in-needed': 'Choose a nickname first.',
    'refusal.owner-only': 'Only the room’s owner may do that.',
    'refusal.moderators-only': 'Only moderators may do that.',
    'refusal.no-such-room': 'This invite is not valid (any more). Ask the room’s owner for a new link.',
    'refusal.nick-held': 'Someone else holds that nickname.',
    'refusal.invalid-input': 'That name cannot be used.',
    'refusal.too-fast': 'Too many tries. Wait {seconds} s.',
    'refusal.unreachable': 'Could not reach the server. Try again.',
    'refusal.other': 'The server answered {status}.',
  },
  'zh-CN': {
    'page.title': 'Parley',
    'page.skip': '跳到消息输入框',
    'nick.label': '昵称',
    'language.label': '语言',
    'nick.signOut': '退出',
    'nick.held': '该昵称已被他人占用，请另选一个。',
    'nick.reserved': '该名称已被保留。如果它属于你，请在下方输入它的密钥。',
    'nick.invalid': '请使用 1 到 32 个字符，不能含不可见字符或控制字符。',
    'nick.tooFast': '尝试次数过多，请等待 {seconds} 秒。',
    'nick.unreachable': '无法连接服务器，请重试。',
    'rooms.heading': '聊天室',
    'rooms.join.label': '加入或创建聊天室',
    'rooms.join.button': '加入',
    'rooms.join.invalid': '请使用小写字母、数字、点、短横线和下划线。',
    'rooms.online': '{count} 人在线',
    'rooms.unread': '{count} 条未读',
    'rooms.unread.many': '超过 99 条未读',
    'rooms.mentioned': '有人提到了你',
    'online.heading': '在线',
    'online.you': '（你）',
    'messages.label': '消息',
    'messages.new': '新消息 ↓',
    'send.label': '消息',
    'send.placeholder': '按 Enter 发送，Shift+Enter 换行',
    'send.button': '发送',
    'send.pickNick': '请先选择一个昵称。',
    'send.pending': '尚未发送：正在等待网络，恢复后会自动发送，且只发送一次。',
    'message.pending': '（发送中…）',
    'status.connecting': '正在连接…',
    'status.connected': '已连接',
    'status.reconnecting': '正在重新连接…',
    'status.offline': '离线：稍后重试',
    'reset.expired': '你离开的时间超过了历史记录的范围：显示最新消息。',
    'reset.unknown': '服务器已无法找到你上次离开的位置：显示最新消息。',
    'reset.malformed': '服务器无法从你上次离开的位置继续：显示最新消息。',
    'reset.other': '历史记录已重置：显示最新消息。',
    'message.integration': '集成',
    'message.integration.title': '由集成使用其令牌发布',
    'message.edited': '（已编辑）',
    'message.edit': '编辑',
    'message.delete': '删除',
    'message.save': '保存',
    'message.cancel': '取消',
    'message.editLabel': '消息的新内容',
    'problem.edit-window-closed': '太晚了：消息发送后只能在一段时间内修改。',
    'problem.not-author': '只有作者可以修改这条消息。',
    'problem.no-such-message': '这条消息已不存在。',
    'typing.one': '{a} 正在输入…',
    'typing.two': '{a} 和 {b} 正在输入…',
    'typing.many': '{a}、{b} 等 {count} 人正在输入…',
    'problem.unreachable': '无法连接服务器，消息未发送。',
    'problem.invalid.author': '未发送：该昵称不可用（1 到 32 个字符，不能含不可见字符或控制字符）。',
    'problem.invalid.text': '未发送：消息为空、过长或含有控制字符。',
    'problem.invalid.text.too-long': '未发送：消息太长。',
    'problem.invalid.text.required': '未发送：消息为空。',
    'problem.invalid.text.control-characters': '未发送：消息含有控制字符。',
    'problem.invalid': '未发送：服务器发现内容有误。',
    'problem.posts-per-client': '未发送：发送太快了，请 {seconds} 秒后再试。',
    'problem.nick-held': '未发送：该昵称已被他人占用。',
    'problem.reserved-name': '未发送：该名称属于一个集成。',
    'problem.banned': '未发送：你暂时被禁止在此聊天室发言，请 {seconds} 秒后再试。',
    'problem.no-such-room': '未发送：没有这个聊天室。',
    'problem.too-large': '未发送：消息太大。',
    'problem.unavailable': '未发送：服务器暂时无法保存消息，请稍后再试。',
    'problem.other': '未发送：服务器返回 {status}。',
    'nick.secret': '该名称属于一位管理员。其密钥：',
    'nick.secretButton': '登录',
    'nick.moderator': '你是管理员',
    'nick.wrongSecret': '该密钥与此名称不符。',
    'notify.label': '当有人提到我且此标签页隐藏时通知我',
    'notify.denied': '浏览器不允许此页面发送通知。',
    'notify.title': '{author} 在 #{room} 提到了你',
    'rooms.private.label': '私密：仅限我邀请的人',
    'private.heading': '私密聊天室',
    'private.invite.label': '邀请链接：持有者均可加入',
    'private.invite.copy': '复制',
    'private.invite.copied': '已复制',
    'private.invite.new': '新的邀请链接',
    'private.members': '成员',
    'private.owner': '（所有者）',
    'private.add.label': '按昵称添加成员',
    'private.add.button': '添加',
    'private.remove': '移除',
    'private.removeLabel': '移除 {nick}',
    'private.leave': '退出此聊天室',
    'private.joinNeedsNick': '请先选择一个昵称，再用邀请加入 #{room}。',
    'notice.noAccess': '没有聊天室 #{room}，或者它是私密的：请向其所有者索取邀请链接。',
    'notice.banned': '管理员已禁止你在此聊天室发言，直到 {time}。',
    'notice.removed': '你已不再是此私密聊天室的成员。',
    'message.ban': '禁言',
    'ban.label': '禁言 {nick}：',
    'ban.confirm': '禁言',
    'ban.10': '10 分钟',
    'ban.60': '1 小时',
    'ban.1440': '1 天',
    'ban.10080': '1 周',
    'ban.done': '{nick} 已被禁言至 {time}。',
    'history.start': '聊天室的开始',
    'history.loading': '正在加载…',
    'refusal.room-name-taken': '该名称已被占用：请为私密聊天室另选一个。',
    'refusal.sign-in-needed': '请先选择一个昵称。',
    'refusal.owner-only': '只有聊天室的所有者可以这样做。',
    'refusal.moderators-only': '只有管理员可以这样做。',
    'refusal.no-such-room': '该邀请无效（或已失效）。请向聊天室所有者索取新链接。',
    'refusal.nick-held': '该昵称已被他人占用。',
    'refusal.invalid-input': '该名称不可用。',
    'refusal.too-fast': '尝试次数过多，请等待 {seconds} 秒。',
    'refusal.unreachable': '无法连接服务器，请重试。',
    'refusal.other': '服务器返回 {status}。',
  },
};

/**
 * The page's language: the one chosen on the page before ({@code stored}), else the first of the
 * browser's languages that the page speaks (any Chinese but Traditional is Simplified here), else
 * English.
 * @param {readonly string[]} preferred navigator.languages
 * @param {string|null} stored what the switch remembered
 */
export function pickLanguage(preferred, stored) {
  if (LANGUAGES.includes(stored)) {
    return stored;
  }
  for (const tag of preferred ?? []) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-cn') || lower.startsWith('zh-hans') || lower === 'zh-sg') {
      return 'zh-CN';
    }
    if (lower.startsWith('en')) {
      return 'en';
    }
  }
  return 'en';
}

/**
 * @param {string} language one of LANGUAGES
 * @returns t(key, params): the sentence in that language with {name} filled in from params; an
 *   unknown key is shown as itself, so a missing word is seen, not hidden
 */
export function translator(language) {
  const words = WORDS[language] ?? WORDS.en;
  return (key, params = {}) => (words[key] ?? WORDS.en[key] ?? key).replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Every key each language has, for the test that both speak of the same things. */
export function keys(language) {
  return Object.keys(WORDS[language]);
}

/**
 * The sentence for a refused post, from its problem type (the part after urn:parley:problem:), the
 * fields its errors name and their codes, its status and Retry-After, never the server's English
 * detail.
 */
export function problemSentence(t, { type, fields = [], codes = [], status, retryAfter }) {
  const seconds = retryAfter ?? '?';
  if (status === 0) {
    return t('problem.unreachable');
  }
  if (type === 'invalid-input') {
    if (fields.includes('author') || fields.includes('nick')) {
      return t('problem.invalid.author');
    }
    if (fields.includes('text')) {
      const code = codes[fields.indexOf('text')];
      return t(`problem.invalid.text.${code}`) === `problem.invalid.text.${code}` ? t('problem.invalid.text') : t(`problem.invalid.text.${code}`);
    }
    return t('problem.invalid');
  }
  const known = ['posts-per-client', 'nick-held', 'reserved-name', 'banned', 'no-such-room', 'edit-window-closed', 'not-author', 'no-such-message'];
  if (known.includes(type)) {
    return t(`problem.${type}`, { seconds });
  }
  if (status === 413) {
    return t('problem.too-large');
  }
  if (status === 503) {
    return t('problem.unavailable');
  }
  return t('problem.other', { status });
}

/** Why a nickname could not be taken, from the refusal of its session's start. */
export function nickSentence(t, { type, status, retryAfter }) {
  if (status === 0) {
    return t('nick.unreachable');
  }
  if (type === 'nick-held') {
    return t('nick.held');
  }
  if (type === 'reserved-name') {
    return t('nick.reserved');
  }
  if (status === 401) {
    return t('nick.wrongSecret');
  }
  if (status === 429) {
    return t('nick.tooFast', { seconds: retryAfter ?? '?' });
  }
  return t('nick.invalid');
}

/**
 * Why something other than a post was refused (making or joining a room, managing its members,
 * banning), from its problem type and status.
 */
export function refusalSentence(t, { type, status, retryAfter }) {
  if (status === 0) {
    return t('refusal.unreachable');
  }
  if (status === 429) {
    return t('refusal.too-fast', { seconds: retryAfter ?? '?' });
  }
  const known = ['room-name-taken', 'sign-in-needed', 'owner-only', 'moderators-only', 'no-such-room', 'nick-held', 'invalid-input'];
  return known.includes(type) ? t(`refusal.${type}`) : t('refusal.other', { status });
}

/** Who is typing, as one sentence (empty when nobody is). */
export function typingSentence(t, names) {
  if (names.length === 0) {
    return '';
  }
  if (names.length === 1) {
    return t('typing.one', { a: names[0] });
  }
  if (names.length === 2) {
    return t('typing.two', { a: names[0], b: names[1] });
  }
  return t('typing.many', { a: names[0], b: names[1], count: names.length - 2 });
}
