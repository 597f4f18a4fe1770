/** The layout is a pure function: every row exactly `cols` cells, at 80×24 and others. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseKeys } from '../../src/cli/watch/keys.js';
import { WatchModel } from '../../src/cli/watch/model.js';
import { render } from '../../src/cli/watch/render.js';
import { fit, textWidth, wrap } from '../../src/cli/watch/width.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR escapes
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function model(): WatchModel {
  const m = new WatchModel();
  const movies = Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    title: i === 1 ? 'Wake Up Dead Man: A Knives Out Mystery' : `Movie number ${i + 1}`,
    count: 500 - i,
    rank: i + 1,
  }));
  m.setRanking({ movies, generatedAt: 0 });
  m.setRanking({
    movies: [movies[1]!, movies[0]!, ...movies.slice(2)].map((x, i) => ({ ...x, rank: i + 1 })),
    generatedAt: 1,
  });
  m.follow(2);
  for (let i = 0; i < 30; i++)
    m.addPost({
      movieId: 2,
      postId: `${i}-0`,
      gap: false,
      skipped: i === 29 ? 37 : 0,
      tweet: {
        id: `t${i}`,
        text: `post ${i}: 観てきた！最高だった 🙌 a long text that has to wrap over more than one line of the pane\nwith a newline`,
        user: { id: 'u', name: 'U', handle: `user${i}` },
        created_at: new Date(0).toISOString(),
        source: 'synthetic',
      },
    });
  m.state = 'connected';
  m.endpoint = 'tls://127.0.0.1:4747';
  m.rttMs = 3;
  return m;
}

test('80×24 and other sizes: every row is exactly the terminal width', () => {
  const m = model();
  for (const [cols, rows] of [
    [80, 24],
    [120, 40],
    [60, 20],
    [40, 12],
  ] as const) {
    const lines = render(m, cols, rows);
    assert.equal(lines.length, rows);
    for (const [i, line] of lines.entries())
      assert.equal(textWidth(strip(line)), cols, `${cols}×${rows} row ${i}: ${strip(line)}`);
  }
  const screen = render(m, 80, 24).map(strip);
  assert.match(screen[2]!, /1 ▲ Wake Up Dead Man: A …/);
  // The newest post followed 37 the live cap did not send: the feed says so above it.
  assert.ok(
    screen.some((l) => /… \+37 more/.test(l)),
    'the skipped count is shown',
  );
  assert.match(screen[3]!, /2 ▼ Movie number 1 /);
  assert.match(screen[1]!, /Feed: Wake Up Dead Man/);
  assert.match(screen[22]!, /connected .*tls:\/\/127\.0\.0\.1:4747 .*rtt 3 ms .*reconnects 0/);
  assert.match(screen.slice(2, 22).join('\n'), /@user29/, 'newest post at the bottom');
});

test('the selection scrolls into view and stays on its movie when the order changes', () => {
  const m = model();
  m.move(30);
  const screen = render(m, 80, 24).map(strip);
  assert.ok(screen.some((l) => l.includes('31 · Movie number 31')));
  m.move(-100);
  assert.equal(m.selectedMovie()?.id, 2);
});

test('width helpers: wide characters, truncation, wrapping', () => {
  assert.equal(textWidth('観🙌a'), 5);
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('ab', 4), 'ab  ');
  assert.equal(textWidth(fit('観観観', 4)), 4);
  assert.deepEqual(wrap('aaa bbb ccc', 7), ['aaa bbb', 'ccc']);
  assert.deepEqual(parseKeys('jk\x1b[A\x1b[B\r q\x1b[1;5C'), [
    'down',
    'up',
    'up',
    'down',
    'enter',
    'quit',
  ]);
});
