/**
 * npm users can reach the docs (issue 15, item 18): the tarball holds dist, README, LICENSE and
 * CHANGELOG only, so the README links to the repository with absolute URLs, and package.json names
 * the repository, its home page and its issue tracker.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  repository?: { type?: string; url?: string };
  homepage?: string;
  bugs?: { url?: string };
  files?: string[];
};
const REPO = 'https://github.com/softlayer-ssl-orders/softlayer-ssl-orders';

describe('package.json metadata', () => {
  it('names the repository, the home page and the issue tracker, all on one GitHub repository', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: `git+${REPO}.git` });
    expect(pkg.homepage).toBe(`${REPO}#readme`);
    expect(pkg.bugs).toEqual({ url: `${REPO}/issues` });
  });
});

describe('README links', () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);

  it('are absolute, since the docs are not in the tarball the npm page shows the README from', () => {
    expect(pkg.files).not.toContain('docs');
    expect(targets.length).toBeGreaterThan(5);
    expect(targets.filter((target) => !/^(https?:\/\/|#)/.test(target))).toEqual([]);
  });

  it('into the repository name files that exist', () => {
    const inRepo = targets.filter((target) => target.startsWith(`${REPO}/blob/main/`));
    expect(inRepo.map((target) => target.replace(`${REPO}/blob/main/`, ''))).toEqual(
      expect.arrayContaining(['docs/getting-started.md', 'docs/errors.md', 'examples/README.md']),
    );
    const missing = inRepo
      .map((target) => target.replace(`${REPO}/blob/main/`, '').replace(/#.*$/, ''))
      .filter((path) => !existsSync(`${ROOT}${path}`));
    expect(missing).toEqual([]);
  });
});
