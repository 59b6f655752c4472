/**
 * Example security settings, so the sources lint and load on their own. In a deployed
 * function, codegen/bundle.py replaces the import of this module with the API's own
 * settings (`const SECURITY = {...};`, see README.md): admin roles, the IAM authorization
 * mode, the identity pool and its roles. They are the same for every resolver of the API,
 * so they travel with the shared functions, not with each resolver's plan.
 */
export const SECURITY = {
    adminRoles: ['AdminRole'],
    iamAuthorizationMode: false,
    identityPoolId: null,
    authenticatedRole: null,
    unauthenticatedRole: null,
};
