/**
 * AppSync's Automerge, field by field (the AWS AppSync Developer Guide, "Conflict detection
 * and resolution"), for an update whose version is stale: a value the stored record lacks
 * (absent or null) is taken; a list is appended to the stored list (duplicates kept); a map
 * is merged key by key by the same rules; any other value that differs from the stored one
 * is a scalar conflict, and the stored value stays.
 */

/** Whether `value` is a map (an object, not a list). */
export function isMap(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** The merged value of one field; `undefined` when the stored one stays. */
function mergedValue(stored, incoming) {
    if (stored === undefined || stored === null) {
        return incoming === null ? undefined : incoming;
    }
    if (same(stored, incoming)) {
        return undefined;
    }
    if (Array.isArray(stored) && Array.isArray(incoming)) {
        return stored.concat(incoming);
    }
    if (isMap(stored) && isMap(incoming)) {
        const merged = Object.assign({}, stored);
        Object.keys(incoming).forEach((key) => {
            const value = mergedValue(stored[key], incoming[key]);
            if (value !== undefined) {
                merged[key] = value;
            }
        });
        return merged;
    }
    return undefined;
}

/**
 * The input of the retried update: the key fields of `input`, each change of `changes`
 * merged with the `current` record, and the current version.
 */
export function automergedInput(input, current, changes, keyFields, versionField) {
    const merged = {};
    keyFields.forEach((field) => {
        merged[field] = input[field];
    });
    changes.forEach((field) => {
        const value = mergedValue(current[field], input[field]);
        if (value !== undefined) {
            merged[field] = value;
        }
    });
    merged[versionField] = current[versionField];
    return merged;
}
