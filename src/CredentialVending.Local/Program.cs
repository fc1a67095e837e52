// The run command: the local cloud. Filled in by the run-command work; for now it says what is not there yet.
Console.WriteLine("The local cloud is not assembled yet.");
return 0;
