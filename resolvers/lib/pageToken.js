/**
 * The page token of owner lists: which identity form the next page starts on and
 * DynamoDB's token within it, as base64 of `{"f": <form>, "t": <token or null>}`.
 */
import { util } from '@aws-appsync/utils';

const TOKEN_SHAPE = '\\{"f":[0-9],"t":(null|"([^"\\\\]|\\\\.)*")\\}';

/** The token for a position, or null when there is none (every form exhausted). */
export function encodePageToken(position) {
    if (!position) {
        return null;
    }
    return util.base64Encode(JSON.stringify({ f: position.f, t: position.t ?? null }));
}

/** The position a client's `nextToken` names; the first page when absent. */
export function decodePageToken(token) {
    if (token === null || token === undefined || token === '') {
        return { f: 0, t: null };
    }
    const text = typeof token === 'string' ? util.base64Decode(token) : '';
    if (!util.matches(TOKEN_SHAPE, text)) {
        util.error('The nextToken is not a token this list returned.', 'InvalidNextTokenException');
    }
    return JSON.parse(text);
}
