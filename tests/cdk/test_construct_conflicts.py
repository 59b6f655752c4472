"""The construct's ``conflict_resolution``: versioned models' tables expire tombstones by
their TTL attribute; LAMBDA without its function, unknown models and values
of the wrong type are refused by name (issue 13); a LAMBDA handler is a Lambda data source
per distinct function, invoked by a role scoped to it, in the update and delete pipelines
of the models it resolves."""

from __future__ import annotations

import cdk_nag
import pytest
from aws_cdk import App, Stack
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk.assertions import Template

from authorized_appsync import (
    ApiDefinition,
    AuthorizationModes,
    AuthorizedGraphqlApi,
    ConfigurationError,
    ConflictHandler,
    ConflictResolutionConfig,
    LambdaConflictHandler,
    UserPoolConfig,
)

SCHEMA = """
type Post @model @auth(rules: [{ allow: owner }]) { id: ID! title: String }
type Tag @model @auth(rules: [{ allow: owner }]) { id: ID! label: String }
"""


def build(
    conflict_resolution: object,
    sdl: str = SCHEMA,
    *,
    stack: Stack | None = None,
    model_stacks: int | None = None,
) -> Stack:
    """The test API in ``stack`` (a new one by default) with ``conflict_resolution``."""
    stack = stack or Stack(App(), "Test")
    AuthorizedGraphqlApi(
        stack,
        "Api",
        definition=ApiDefinition.from_string(sdl, "schema.graphql"),
        authorization_modes=AuthorizationModes(
            user_pool_config=UserPoolConfig(user_pool=cognito.UserPool(stack, "Users"))
        ),
        conflict_resolution=conflict_resolution,  # type: ignore[arg-type]
        model_stacks=model_stacks,
    )
    return stack


def problems(conflict_resolution: object, sdl: str = SCHEMA) -> list[str]:
    with pytest.raises(ConfigurationError) as caught:
        build(conflict_resolution, sdl)
    return list(caught.value.problems)


def ttl_of(stack: Stack) -> dict[str, object]:
    tables = Template.from_stack(stack).find_resources("AWS::DynamoDB::Table")
    return {
        props["Properties"]["TableName"]["Fn::Join"][1][0].rstrip("-"): props["Properties"].get(
            "TimeToLiveSpecification"
        )
        for props in tables.values()
    }


def test_only_the_versioned_models_tables_get_the_ttl_attribute():
    config = ConflictResolutionConfig(models={"Post": "OPTIMISTIC_CONCURRENCY"})
    assert ttl_of(build(config)) == {
        "Post": {"AttributeName": "_ttl", "Enabled": True},
        "Tag": None,
    }


def test_without_conflict_resolution_no_table_has_a_ttl():
    assert ttl_of(build(None)) == {"Post": None, "Tag": None}


def test_lambda_without_its_function_is_refused_saying_what_to_pass():
    assert problems(ConflictResolutionConfig(project=ConflictHandler.LAMBDA)) == [
        "conflict_resolution project is 'LAMBDA', which needs the function that resolves "
        "conflicts: pass LambdaConflictHandler(function=<an aws_lambda.IFunction>) instead."
    ]
    config = ConflictResolutionConfig(models={"Tag": "LAMBDA"})
    assert problems(config) == [
        "conflict_resolution for model 'Tag' is 'LAMBDA', which needs the function that "
        "resolves conflicts: pass LambdaConflictHandler(function=<an aws_lambda.IFunction>) "
        "instead."
    ]


def test_a_lambda_handler_of_something_else_than_a_function_is_refused():
    config = ConflictResolutionConfig(models={"Tag": LambdaConflictHandler(function="arn")})  # type: ignore[arg-type]
    assert problems(config) == [
        "conflict_resolution for model 'Tag' is a LambdaConflictHandler whose function is "
        "'arn'; it takes a Lambda function (aws_lambda.IFunction)."
    ]


def functions_of(stack: Stack) -> dict[str, list[object]]:
    """Each resolver's field -> its pipeline's functions, and each function's name."""
    template = Template.from_stack(stack)
    names = {
        logical_id: resource["Properties"]["Name"]
        for logical_id, resource in template.find_resources(
            "AWS::AppSync::FunctionConfiguration"
        ).items()
    }
    return {
        resource["Properties"]["FieldName"]: [
            names[f["Fn::GetAtt"][0]] for f in resource["Properties"]["PipelineConfig"]["Functions"]
        ]
        for resource in template.find_resources("AWS::AppSync::Resolver").values()
    }


def test_automerge_updates_retry_merged_through_a_second_function_on_the_table():
    config = ConflictResolutionConfig(
        project=ConflictHandler.OPTIMISTIC_CONCURRENCY, models={"Tag": "AUTOMERGE"}
    )
    pipelines = functions_of(build(config))
    assert pipelines["updateTag"] == [
        "updatePrepare",
        "TagData",
        "updateMerge",
        "TagRetry",
        "updateFinish",
    ]
    assert pipelines["updatePost"] == ["updatePrepare", "PostData", "updateFinish"]
    assert pipelines["deleteTag"] == ["deletePrepare", "TagData", "updateFinish"]


def test_an_unknown_handler_or_model_is_refused_with_what_is_allowed():
    assert problems(ConflictResolutionConfig(project="VERSION")) == [
        "conflict_resolution project is 'VERSION'; it takes 'AUTOMERGE', "
        "'OPTIMISTIC_CONCURRENCY' or LambdaConflictHandler(function=...)."
    ]
    config = ConflictResolutionConfig(models={"Posts": ConflictHandler.OPTIMISTIC_CONCURRENCY})
    assert problems(config) == [
        "conflict_resolution names the model 'Posts', which the schema does not declare; "
        "use one of 'Post' or 'Tag'."
    ]


def test_a_value_of_the_wrong_type_is_refused():
    (problem,) = problems("OPTIMISTIC_CONCURRENCY")
    assert problem.startswith("conflict_resolution is 'OPTIMISTIC_CONCURRENCY'; it takes a")


def test_a_versioned_model_may_not_declare_the_fields_conflict_resolution_adds():
    sdl = SCHEMA.replace("label: String", "label: String _version: Int _ttl: Int")
    assert problems(ConflictResolutionConfig(project="OPTIMISTIC_CONCURRENCY"), sdl) == [
        "Model 'Tag' declares '_version', '_ttl': conflict resolution adds '_version', "
        "'_deleted', '_lastChangedAt', '_ttl' to a versioned model itself; rename the "
        "field or leave 'Tag' out of conflict_resolution."
    ]
    # Unversioned, the same model is as before.
    build(ConflictResolutionConfig(models={"Post": "AUTOMERGE"}), sdl)


def with_handlers(*, shared: bool, model_stacks: int | None = None) -> Stack:
    """Post and Tag resolved by the function ``Resolve``, or Tag by ``ResolveTags``."""
    stack = Stack(App(), "Test")

    def function(name: str) -> lambda_.Function:
        return lambda_.Function(
            stack,
            name,
            runtime=lambda_.Runtime.PYTHON_3_12,
            handler="index.handler",
            code=lambda_.Code.from_inline("def handler(event, context):\n    return None\n"),
        )

    resolve = LambdaConflictHandler(function=function("Resolve"))
    models = {} if shared else {"Tag": LambdaConflictHandler(function=function("ResolveTags"))}
    config = ConflictResolutionConfig(project=resolve, models=models)
    return build(config, stack=stack, model_stacks=model_stacks)


def lambda_sources(stack: Stack) -> dict[str, dict[str, object]]:
    """Each Lambda data source's name -> the function it invokes and what its role may do."""
    template = Template.from_stack(stack)
    roles = template.find_resources("AWS::IAM::Role")
    found = {}
    for resource in template.find_resources(
        "AWS::AppSync::DataSource", {"Properties": {"Type": "AWS_LAMBDA"}}
    ).values():
        props = resource["Properties"]
        role = roles[props["ServiceRoleArn"]["Fn::GetAtt"][0]]["Properties"]
        (policy,) = role["Policies"]
        found[props["Name"]] = {
            "function": props["LambdaConfig"]["LambdaFunctionArn"],
            "statements": policy["PolicyDocument"]["Statement"],
        }
    return found


def test_models_sharing_a_handler_function_share_its_data_source():
    stack = with_handlers(shared=True)
    sources = lambda_sources(stack)
    assert list(sources) == ["ResolveConflictHandler"]


def test_each_handler_role_may_invoke_its_own_function_only():
    stack = with_handlers(shared=False)
    functions = {
        stack.resolve(f.node.default_child.logical_id): f
        for f in stack.node.children
        if isinstance(f, lambda_.Function)
    }
    arns = {f.node.id: {"Fn::GetAtt": [logical_id, "Arn"]} for logical_id, f in functions.items()}
    sources = lambda_sources(stack)
    assert sources == {
        name: {
            "function": arns[function],
            "statements": [
                {
                    "Effect": "Allow",
                    "Action": "lambda:InvokeFunction",
                    "Resource": [arns[function], {"Fn::Join": ["", [arns[function], ":*"]]}],
                }
            ],
        }
        for name, function in (
            ("ResolveConflictHandler", "Resolve"),
            ("ResolveTagsConflictHandler", "ResolveTags"),
        )
    }


def test_updates_and_deletes_run_the_handlers_function_between_the_write_and_its_retry():
    pipelines = functions_of(with_handlers(shared=False))
    assert pipelines["updatePost"] == [
        "updatePrepare",
        "PostData",
        "updateConflictResolveConflictHandler",
        "updateResolve",
        "PostRetry",
        "updateFinish",
    ]
    # Update and delete share the handler's function (the same code), as they share finish.
    assert pipelines["deleteTag"] == [
        "deletePrepare",
        "TagData",
        "updateConflictResolveTagsConflictHandler",
        "deleteResolve",
        "TagRetry",
        "updateFinish",
    ]
    assert pipelines["createPost"] == ["createPrepare", "PostData", "createFinish"]


def test_the_conflict_functions_are_bound_to_their_handlers_data_source():
    template = Template.from_stack(with_handlers(shared=False))
    sources = {
        logical_id: resource["Properties"]["Name"]
        for logical_id, resource in template.find_resources("AWS::AppSync::DataSource").items()
    }
    bound = {
        resource["Properties"]["Name"]: sources[
            resource["Properties"]["DataSourceName"]["Fn::GetAtt"][0]
        ]
        for resource in template.find_resources("AWS::AppSync::FunctionConfiguration").values()
        if "Conflict" in resource["Properties"]["Name"]
    }
    assert bound == {
        "updateConflictResolveConflictHandler": "ResolveConflictHandler",
        "updateConflictResolveTagsConflictHandler": "ResolveTagsConflictHandler",
    }


def test_models_in_nested_stacks_reach_the_conflict_functions_of_the_apis_stack():
    stacks = Template.from_stack(with_handlers(shared=True, model_stacks=2)).find_resources(
        "AWS::CloudFormation::Stack"
    )
    assert len(stacks) == 2
    for stack in stacks.values():
        given = stack["Properties"]["Parameters"]
        assert {p for p in given if "Conflict" in p} == {
            "FunctionUpdateConflictResolveConflictHandler"
        }
        assert {"FunctionUpdateResolve", "FunctionDeleteResolve"} <= set(given)


def test_the_handler_resources_pass_the_aws_solutions_checks():
    stack = with_handlers(shared=False)
    report = cdk_nag.AwsSolutionsChecks(stack.node.root).validate_scope(stack)
    ours = [
        (v.rule_name, r.construct_path)
        for v in report.violations
        for r in v.violating_resources
        if r.construct_path.startswith("Test/Api/")
    ]
    # The functions and the user pool are the test's own; the API's resources pass.
    assert ours == []


def indexes_of(stack: Stack) -> dict[str, list[object]]:
    """Each table's global secondary indexes, with the attribute types of their keys."""
    tables = Template.from_stack(stack).find_resources("AWS::DynamoDB::Table")
    found: dict[str, list[object]] = {}
    for props in tables.values():
        properties = props["Properties"]
        types = {a["AttributeName"]: a["AttributeType"] for a in properties["AttributeDefinitions"]}
        model = properties["TableName"]["Fn::Join"][1][0].rstrip("-")
        found[model] = [
            {
                "IndexName": gsi["IndexName"],
                "KeySchema": [
                    (k["AttributeName"], k["KeyType"], types[k["AttributeName"]])
                    for k in gsi["KeySchema"]
                ],
                "Projection": gsi["Projection"],
            }
            for gsi in properties.get("GlobalSecondaryIndexes", [])
        ]
    return found


DELTA_SYNC_INDEX = {
    "IndexName": "_deltaSync",
    "KeySchema": [("__deltaSync", "HASH", "S"), ("_lastChangedAt", "RANGE", "N")],
    "Projection": {"ProjectionType": "ALL"},
}


def test_only_a_versioned_models_table_gets_the_delta_sync_index():
    # Given Post versioned and Tag not; when synthesized; then Post's table has the
    # delta-sync index beside its owner index, keyed on the model-wide partition and the
    # change time, projecting whole records (a sync returns them); Tag's has none.
    config = ConflictResolutionConfig(models={"Post": "AUTOMERGE"})
    found = indexes_of(build(config))
    assert found["Post"][-1] == DELTA_SYNC_INDEX
    assert [gsi["IndexName"] for gsi in found["Post"]] == ["ownerOwnerIndex", "_deltaSync"]
    assert "_deltaSync" not in [gsi["IndexName"] for gsi in found["Tag"]]


def test_without_conflict_resolution_no_table_has_the_delta_sync_index():
    found = indexes_of(build(None))
    assert all(DELTA_SYNC_INDEX not in gsis for gsis in found.values())


def test_an_index_named_as_the_delta_sync_index_is_refused_on_a_versioned_model():
    sdl = SCHEMA.replace("label: String", 'label: String @index(name: "_deltaSync")')
    assert problems(ConflictResolutionConfig(project="OPTIMISTIC_CONCURRENCY"), sdl) == [
        "The @index on field 'Tag.label' is named '_deltaSync', the name of the delta-sync "
        "index conflict resolution adds to a versioned model's table; give the @index "
        "another name or leave 'Tag' out of conflict_resolution."
    ]
    # Unversioned, the model keeps its index.
    found = indexes_of(build(ConflictResolutionConfig(models={"Post": "AUTOMERGE"}), sdl))
    assert "_deltaSync" in [gsi["IndexName"] for gsi in found["Tag"]]
