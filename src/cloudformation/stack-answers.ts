// Stored stacks, events and resources in the shapes CloudFormation's API answers.
import type { StackEventRecord, StoredStack } from '../store/cloudformation-stacks-store.js';
import type { Stack, StackEvent, StackResource, StackResourceDetail, StackResourceSummary, StackSummary } from '../aws/generated/cloudformation.js';
import { shownParameters } from './stack-parameters.js';
import { storedDocument } from './stack-documents.js';

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));
const tags = (s: StoredStack) => s.tags.map((t) => ({ Key: t.key, Value: t.value }));

export function stackAnswer(s: StoredStack): Stack {
  return {
    StackId: s.stackId,
    StackName: s.stackName,
    Description: s.description,
    Parameters: shownParameters(storedDocument(s), s.parameters),
    CreationTime: new Date(s.createdMs),
    LastUpdatedTime: date(s.updatedMs),
    DeletionTime: date(s.deletedMs),
    StackStatus: s.status,
    StackStatusReason: s.statusReason,
    DisableRollback: s.onFailure === 'DO_NOTHING',
    NotificationARNs: [],
    Capabilities: s.capabilities as Stack['Capabilities'],
    Outputs: s.outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName })),
    Tags: tags(s),
    RollbackConfiguration: {},
    // As CloudFormation: a deleted stack's answer has no EnableTerminationProtection.
    EnableTerminationProtection: s.status === 'DELETE_COMPLETE' ? undefined : s.terminationProtection === true,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

export function stackSummary(s: StoredStack): StackSummary {
  return {
    StackId: s.stackId, StackName: s.stackName, TemplateDescription: s.description, CreationTime: new Date(s.createdMs), LastUpdatedTime: date(s.updatedMs),
    DeletionTime: date(s.deletedMs), StackStatus: s.status, StackStatusReason: s.statusReason, DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

export function eventAnswer(s: StoredStack, e: StackEventRecord): StackEvent {
  return {
    StackId: s.stackId, EventId: e.eventId, StackName: s.stackName, LogicalResourceId: e.logicalId, PhysicalResourceId: e.physicalId ?? '',
    ResourceType: e.resourceType, Timestamp: new Date(e.timestampMs), ResourceStatus: e.status as StackEvent['ResourceStatus'], ResourceStatusReason: e.statusReason,
  };
}

export function resourceAnswer(s: StoredStack, r: StoredStack['resources'][number]): StackResource {
  return {
    StackName: s.stackName, StackId: s.stackId, LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: r.type,
    Timestamp: new Date(r.updatedMs), ResourceStatus: r.status as StackResource['ResourceStatus'], ResourceStatusReason: r.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

export function resourceSummary(r: StoredStack['resources'][number]): StackResourceSummary {
  return {
    LogicalResourceId: r.logicalId, PhysicalResourceId: r.physicalId, ResourceType: r.type, LastUpdatedTimestamp: new Date(r.updatedMs),
    ResourceStatus: r.status as StackResourceSummary['ResourceStatus'], ResourceStatusReason: r.statusReason, DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

export function resourceDetail(s: StoredStack, r: StoredStack['resources'][number]): StackResourceDetail {
  return { StackName: s.stackName, StackId: s.stackId, ...resourceSummary(r) };
}
