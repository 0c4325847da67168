Console.WriteLine("cocoon");
