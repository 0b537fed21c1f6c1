// git-url-parse 15 ships no types; only the fields the same-repository check reads.
declare module 'git-url-parse' {
  interface GitUrl {
    owner: string;
    name: string;
    filepath: string;
    resource: string;
    full_name: string;
  }
  export default function parseGitUrl(url: string): GitUrl;
}
