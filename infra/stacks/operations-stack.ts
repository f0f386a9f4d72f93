/**
 * `SciDay-<stage>-Operations`: the alarms and the dashboard of the functions and the API
 * (infra/constructs/operations.ts), in a stack of their own. With every function's errors and
 * throttles alarmed, the stateless stack passed CloudFormation's 500 resources per stack once issues
 * 21 and 22 added their functions (509). The alarms name the functions and the API through the
 * stateless stack's exports, so this stack deploys after it.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { Operations } from '../constructs/operations';
import type { Topology } from '../topology';

export interface OperationsStackProps extends StackProps {
  readonly topology: Topology;
  readonly stage: string;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly api: HttpApi;
  /** Where every alarm goes (the stateful stack's topic). */
  readonly alarmTopic: ITopic;
}

export class OperationsStack extends Stack {
  public readonly operations: Operations;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.operations = new Operations(this, 'Operations', {
      topology: props.topology,
      stage: props.stage,
      functions: props.functions,
      api: props.api,
      alarmAction: new SnsAction(props.alarmTopic),
    });
  }
}
