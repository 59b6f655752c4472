/**
 * Subscription.on<Event><Model>, decided when a client subscribes (stages/decide.js; the
 * resolver's own response handler sets the filter decided here). Static rules admit every
 * event (no filter but the user's); owner and dynamic-group rules give an enhanced filter so
 * only events on the caller's records are delivered: one filter group per rule, OR-ed -
 * owner scalar `in` the caller's identities, owner list `containsAny`, dynamic groups
 * scalar `in` / list `containsAny` the caller's groups (5 / 20 values per filter; larger
 * sets are split over several groups). No rule -> Unauthorized. The user's `filter` is a
 * question about the fields it names (lib/questions.js): which events arrive would reveal
 * a field the subscriber may not read.
 */
import { util } from '@aws-appsync/utils';
import { callerOf } from './lib/identity.js';
import { readGrant } from './lib/partial.js';
import { readQuestion } from './lib/questions.js';

const IN_VALUES = 5;
const CONTAINS_ANY_VALUES = 20;
const FILTER_GROUPS = 10;

function chunked(values, size) {
    const chunks = [];
    values.forEach((value, i) => {
        if (i % size === 0) {
            chunks.push([]);
        }
        chunks[chunks.length - 1].push(value);
    });
    return chunks;
}

/** One filter per predicate (per chunk of its values). */
function authFilters(predicates) {
    const filters = [];
    predicates.forEach((p) => {
        const operator = p.isList ? 'containsAny' : 'in';
        chunked(p.values, p.isList ? CONTAINS_ANY_VALUES : IN_VALUES).forEach((values) => {
            filters.push({ fieldName: p.field, operator, value: values });
        });
    });
    return filters;
}

function userFilterOf(filter) {
    if (!filter || Object.keys(filter).length === 0) {
        return null;
    }
    return util.transform.toSubscriptionFilter(filter);
}

/** The subscription's filter: null for every event, else AppSync's filter object. */
export function decide(ctx, plan) {
    const caller = callerOf(ctx, plan.security);
    const grant = readGrant(plan, caller);
    if (grant.admitted) {
        readQuestion(ctx, plan, caller, []);
    }
    const user = userFilterOf(ctx.args.filter);
    if (grant.unconditional) {
        return user;
    }
    if (!grant.admitted) {
        util.unauthorized();
    }
    const filterGroup = [];
    const userGroups = user ? user.filterGroup : [{ filters: [] }];
    authFilters(grant.predicates).forEach((filter) => {
        userGroups.forEach((group) => {
            filterGroup.push({ filters: group.filters.concat([filter]) });
        });
    });
    if (filterGroup.length > FILTER_GROUPS) {
        util.error(
            `This subscription needs ${filterGroup.length} filter groups; AppSync allows ${FILTER_GROUPS}. ` +
                'Subscribe with a simpler filter, or belong to fewer groups.',
            'Unauthorized',
        );
    }
    return { filterGroup };
}
